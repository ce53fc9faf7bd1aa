/**
 * Tells whether a server-sent-event stream ended with OpenAI's `data: [DONE]` marker. The SDK ends
 * its iteration quietly both at the marker and when the connection simply closes, and a reply cut
 * off by a proxy must not pass for a whole one; a finish_reason alone is no proof either, since
 * some servers (llama.cpp, older vLLM) never send one. So the response body is watched on its way
 * to the SDK, at no cost to the stream: chunks pass through unchanged.
 */

const ended = new WeakSet<Response>();
const DONE = /[\r\n]data: ?\[DONE\]/;

/** A `fetch` for the OpenAI client that notes which event streams reached `data: [DONE]`. */
export async function fetchNotingStreamEnd(
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const response = await fetch(input, init);
  if (!response.body || !response.headers.get('content-type')?.includes('text/event-stream')) return response;
  const decoder = new TextDecoder();
  let tail = '\n'; // the stream's start counts as a line start
  const watched: Response = new Response(
    response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          const text = tail + decoder.decode(chunk, { stream: true });
          if (DONE.test(text)) ended.add(watched);
          tail = text.slice(-16);
          controller.enqueue(chunk);
        },
      }),
    ),
    { status: response.status, statusText: response.statusText, headers: response.headers },
  );
  return watched;
}

/** True once the body of `response` (from {@link fetchNotingStreamEnd}) has carried `data: [DONE]`. */
export function reachedDone(response: Response): boolean {
  return ended.has(response);
}
