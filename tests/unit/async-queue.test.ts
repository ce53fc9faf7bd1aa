import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../../src/main/pipeline/async-queue';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('AsyncQueue', () => {
  it('yields what was pushed before and while iterating, in order, and ends at close', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    const seen = collect(queue);
    queue.push(2);
    await Promise.resolve();
    queue.push(3);
    queue.close();
    queue.push(4); // after close: ignored
    expect(await seen).toEqual([1, 2, 3]);
  });

  it('hands over falsy items too', async () => {
    const queue = new AsyncQueue<number | string>();
    queue.push(0);
    queue.push('');
    queue.close();
    expect(await collect(queue)).toEqual([0, '']);
  });

  it('throws the close error only after the buffered items', async () => {
    const queue = new AsyncQueue<string>();
    const seen: string[] = [];
    queue.push('a');
    queue.push('b');
    queue.close(new Error('upstream failed'));
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('upstream failed');
    expect(seen).toEqual(['a', 'b']);
  });

  it('stops at once and quietly when the signal aborts, waiting or not', async () => {
    const waiting = new AsyncQueue<string>();
    const controller = new AbortController();
    const seen = collect(waiting.iterate(controller.signal));
    waiting.push('a');
    await Promise.resolve();
    controller.abort();
    waiting.push('b');
    expect(await seen).toEqual(['a']);

    const buffered = new AsyncQueue<string>();
    buffered.push('x');
    expect(await collect(buffered.iterate(AbortSignal.abort()))).toEqual([]);
  });

  it('throws the idle error when nothing arrives in time, and not while items keep coming', async () => {
    const queue = new AsyncQueue<string>();
    const seen: string[] = [];
    const done = (async () => {
      for await (const item of queue.iterate(undefined, { ms: 50, error: () => new Error('idle') }))
        seen.push(item);
    })();
    queue.push('a');
    await expect(done).rejects.toThrow('idle');
    expect(seen).toEqual(['a']);

    const busy = new AsyncQueue<string>();
    const all = collect(busy.iterate(undefined, { ms: 60_000, error: () => new Error('idle') }));
    busy.push('a');
    busy.close();
    expect(await all).toEqual(['a']);
  });

  it('lets the consumer take what is already buffered without waiting', () => {
    const queue = new AsyncQueue<string>();
    queue.push('a');
    queue.push('b');
    expect(queue.peek()).toBe('a');
    expect(queue.shift()).toBe('a');
    expect(queue.shift()).toBe('b');
    expect(queue.peek()).toBeUndefined();
  });
});
