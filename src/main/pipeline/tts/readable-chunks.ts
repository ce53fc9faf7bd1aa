import type { Readable } from 'node:stream';

export class ReadTimeoutError extends Error {
  constructor(readonly beforeFirstChunk: boolean) {
    super(beforeFirstChunk ? 'no audio arrived in time' : 'audio stopped arriving');
    this.name = 'ReadTimeoutError';
  }
}

/**
 * The chunks of a Readable as they arrive, failing when none arrives for `timeoutMs`, and
 * returning quietly when `signal` aborts. Unlike `for await` on the stream itself, leaving
 * early does not destroy the stream: its owner decides what happens to the connection.
 */
export async function* readableChunks(
  stream: Readable,
  options: { timeoutMs: number; signal: AbortSignal },
): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const onData = (chunk: Uint8Array) => {
    queue.push(chunk);
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (error: unknown) => {
    failure = error;
    notify();
  };
  stream.on('data', onData);
  stream.once('end', onEnd);
  stream.once('error', onError);
  options.signal.addEventListener('abort', notify);
  let received = false;
  try {
    for (;;) {
      if (options.signal.aborted) return;
      const chunk = queue.shift();
      if (chunk) {
        received = true;
        yield chunk;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await new Promise<boolean>((resolve) => {
        wake = () => resolve(false);
        timer = setTimeout(() => resolve(true), options.timeoutMs);
      });
      clearTimeout(timer);
      if (timedOut && queue.length === 0 && !ended && failure === undefined && !options.signal.aborted) {
        throw new ReadTimeoutError(!received);
      }
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
    options.signal.removeEventListener('abort', notify);
  }
}
