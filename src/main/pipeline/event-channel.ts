/**
 * A single-consumer async queue: producers `push` without waiting, the consumer iterates.
 * After `close`, pushes are ignored — that is what guarantees nothing follows `turn-end`.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private queue: T[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  push(value: T): void {
    if (this.closed) return;
    this.queue.push(value);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const value = this.queue.shift();
      if (value !== undefined) {
        yield value;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
