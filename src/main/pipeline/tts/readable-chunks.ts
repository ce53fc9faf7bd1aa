import type { Readable } from 'node:stream';
import { AsyncQueue } from '../async-queue';

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
  const queue = new AsyncQueue<Uint8Array>();
  const onData = (chunk: Uint8Array) => queue.push(chunk);
  const onEnd = () => queue.close();
  const onError = (error: unknown) => queue.close(error);
  stream.on('data', onData);
  stream.once('end', onEnd);
  stream.once('error', onError);
  let received = false;
  const idle = { ms: options.timeoutMs, error: () => new ReadTimeoutError(!received) };
  try {
    for await (const chunk of queue.iterate(options.signal, idle)) {
      received = true;
      yield chunk;
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
  }
}
