import { concatBytes } from '../../shared/bytes';
import type { AudioChunk, SynthesisRequest, TtsEngine } from './tts/tts-engine';

export interface SynthesisSink {
  audio(segmentIndex: number, seq: number, chunk: AudioChunk): void;
  notice?: SynthesisRequest['onNotice'];
  segmentEnd(segmentIndex: number): void;
  requestSent(segmentIndex: number): void;
  firstByte(segmentIndex: number): void;
}

interface Job {
  index: number;
  text: string;
  chunks: AudioChunk[];
  done: boolean;
  error: unknown;
}

/**
 * Synthesises up to `ahead` segments at once and delivers their audio strictly in segment
 * order: the head segment's chunks go out the moment they arrive; later segments buffer until
 * it is their turn. Audio already buffered is merged into messages of at most `chunkBytes`,
 * but nothing is ever held back waiting for more.
 */
export class OrderedSynthesis {
  private readonly jobs: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private started = 0;
  private delivered = 0;
  private finished = false;
  private wake: (() => void) | undefined;
  /** Resolves when every segment is delivered; rejects with the first failure in order. */
  readonly done: Promise<void>;

  constructor(
    private readonly engine: TtsEngine,
    private readonly options: { ahead: number; chunkBytes: number; signal: AbortSignal },
    private readonly sink: SynthesisSink,
  ) {
    options.signal.addEventListener('abort', () => this.notify(), { once: true });
    this.done = this.deliver();
    this.done.catch(() => {}); // the owner awaits it; an early rejection is not unhandled
  }

  add(index: number, text: string): void {
    this.jobs.push({ index, text, chunks: [], done: false, error: undefined });
    this.startMore();
    this.notify();
  }

  /** No more segments will be added. */
  finish(): void {
    this.finished = true;
    this.notify();
  }

  /** Resolves once no synthesis is running any more (after an abort: once all sockets are closed). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private startMore(): void {
    while (
      !this.options.signal.aborted &&
      this.started < this.jobs.length &&
      this.started - this.delivered < this.options.ahead
    ) {
      const task = this.run(this.jobs[this.started++]!);
      this.running.add(task);
      void task.finally(() => this.running.delete(task));
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      const chunks = this.engine.synthesize({
        text: job.text,
        signal: this.options.signal,
        onRequestSent: () => this.sink.requestSent(job.index),
        onNotice: this.sink.notice,
      });
      for await (const chunk of chunks) {
        if (job.chunks.length === 0) this.sink.firstByte(job.index);
        job.chunks.push(chunk);
        this.notify();
      }
    } catch (error) {
      job.error = error;
    } finally {
      job.done = true;
      this.notify();
    }
  }

  private takeChunk(job: Job): AudioChunk {
    const first = job.chunks.shift()!;
    const fits = (next: AudioChunk | undefined, size: number) =>
      next !== undefined &&
      next.format === first.format &&
      size + next.data.byteLength <= this.options.chunkBytes;
    if (!fits(job.chunks[0], first.data.byteLength)) return first;
    const parts = [first.data];
    let size = first.data.byteLength;
    while (fits(job.chunks[0], size)) {
      const next = job.chunks.shift()!;
      parts.push(next.data);
      size += next.data.byteLength;
    }
    return { data: concatBytes(parts), format: first.format };
  }

  private waitForChange(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private async deliver(): Promise<void> {
    const { signal } = this.options;
    for (let position = 0; ; position++) {
      while (position >= this.jobs.length) {
        if (signal.aborted || this.finished) return;
        await this.waitForChange();
      }
      const job = this.jobs[position]!;
      let seq = 0;
      for (;;) {
        if (signal.aborted) return;
        if (job.chunks.length > 0) {
          this.sink.audio(job.index, seq++, this.takeChunk(job));
        } else if (job.error !== undefined) {
          throw job.error;
        } else if (job.done) {
          break;
        } else {
          await this.waitForChange();
        }
      }
      this.sink.segmentEnd(job.index);
      this.delivered++;
      this.startMore();
    }
  }
}
