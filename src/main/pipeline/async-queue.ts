/**
 * A single-consumer async queue: producers `push` without waiting; the consumer iterates, and
 * waits only while the queue is empty. After `close`, pushes are ignored, so nothing follows
 * the last item the producer meant to send. One wake-up callback at a time, no per-item
 * promise while items are buffered: it sits on the audio path.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private closed = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.notify();
  }

  /** No more items. With `error`, iteration throws it once the buffered items are taken. */
  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (error !== undefined) this.failure = { error };
    this.notify();
  }

  /** The next buffered item, without waiting (to merge what has already arrived). */
  peek(): T | undefined {
    return this.items[0];
  }

  shift(): T | undefined {
    return this.items.shift();
  }

  [Symbol.asyncIterator](): AsyncGenerator<T> {
    return this.iterate();
  }

  /**
   * The items as they arrive, until the queue is closed and drained. Aborting `signal` ends the
   * iteration at once and quietly, dropping what is buffered. With `idle`, waiting longer than
   * `idle.ms` for the next item throws `idle.error()`.
   */
  async *iterate(signal?: AbortSignal, idle?: { ms: number; error: () => unknown }): AsyncGenerator<T> {
    const onAbort = () => this.notify();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal?.aborted) return;
        if (this.items.length > 0) {
          yield this.items.shift()!;
          continue;
        }
        if (this.closed) {
          if (this.failure) throw this.failure.error;
          return;
        }
        const changed = await this.nextChange(idle?.ms);
        // A push may have landed between the timer firing and this line: only a still-empty,
        // still-open queue counts as idle.
        if (!changed && this.items.length === 0 && !this.closed && !signal?.aborted) throw idle!.error();
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves true at the next push, close or abort; false if `timeoutMs` passes first. */
  private nextChange(timeoutMs: number | undefined): Promise<boolean> {
    return new Promise((resolve) => {
      if (timeoutMs === undefined) {
        this.wake = () => resolve(true);
        return;
      }
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
