import { concatBytes } from '../../shared/bytes';
import { sameFormat } from '../../shared/audio-format';
import { AsyncQueue } from './async-queue';
import type { WordTiming } from '../../shared/pipeline-events';
import type { AudioChunk, SynthesisRequest, TtsEngine } from './tts/tts-engine';

export interface SynthesisSink {
  audio(segmentIndex: number, seq: number, chunk: AudioChunk): void;
  /** Word boundaries of a segment's audio, in order, before its `segmentEnd` (voices that time words). */
  words?(segmentIndex: number, words: WordTiming[]): void;
  notice?: SynthesisRequest['onNotice'];
  segmentEnd(segmentIndex: number): void;
  requestSent(segmentIndex: number): void;
  firstByte(segmentIndex: number): void;
}

interface Job {
  index: number;
  text: string;
  /** Its audio as it arrives; closed when the synthesis ends, with the error if it failed. */
  audio: AsyncQueue<AudioChunk>;
}

/**
 * Synthesises up to `ahead` segments at once and delivers their audio strictly in segment
 * order: the head segment's chunks go out the moment they arrive; later segments buffer until
 * it is their turn. Audio already buffered is merged into messages of at most `chunkBytes`,
 * but nothing is ever held back waiting for more.
 */
export class OrderedSynthesis {
  private readonly jobs: Job[] = [];
  /** The same jobs, for delivery in segment order; closed by `finish`. */
  private readonly order = new AsyncQueue<Job>();
  private readonly running = new Set<Promise<void>>();
  private started = 0;
  private delivered = 0;
  /** Resolves when every segment is delivered; rejects with the first failure in order. */
  readonly done: Promise<void>;

  constructor(
    private readonly engine: TtsEngine,
    private readonly options: { ahead: number; chunkBytes: number; signal: AbortSignal },
    private readonly sink: SynthesisSink,
  ) {
    this.done = this.deliver();
    this.done.catch(() => {}); // the owner awaits it; an early rejection is not unhandled
  }

  add(index: number, text: string): void {
    const job = { index, text, audio: new AsyncQueue<AudioChunk>() };
    this.jobs.push(job);
    this.order.push(job);
    this.startMore();
  }

  /** No more segments will be added. */
  finish(): void {
    this.order.close();
  }

  /** Resolves once no synthesis is running any more (after an abort: once all sockets are closed). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
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
    let first = true;
    try {
      const chunks = this.engine.synthesize({
        text: job.text,
        signal: this.options.signal,
        onRequestSent: () => this.sink.requestSent(job.index),
        onNotice: this.sink.notice,
      });
      for await (const chunk of chunks) {
        if (first && chunk.data.byteLength > 0) {
          this.sink.firstByte(job.index);
          first = false;
        }
        job.audio.push(chunk);
      }
      job.audio.close();
    } catch (error) {
      job.audio.close(error);
    }
  }

  /** `first` merged with the audio of its segment that has already arrived, up to `chunkBytes`. */
  private withBuffered(first: AudioChunk, audio: AsyncQueue<AudioChunk>): AudioChunk {
    const fits = (next: AudioChunk | undefined, size: number) =>
      next !== undefined &&
      sameFormat(next.format, first.format) &&
      size + next.data.byteLength <= this.options.chunkBytes;
    if (!fits(audio.peek(), first.data.byteLength)) return first;
    const parts = [first.data];
    const words = [...(first.words ?? [])];
    let size = first.data.byteLength;
    while (fits(audio.peek(), size)) {
      const next = audio.shift()!;
      parts.push(next.data);
      if (next.words) words.push(...next.words);
      size += next.data.byteLength;
    }
    return { data: concatBytes(parts), format: first.format, ...(words.length > 0 && { words }) };
  }

  private async deliver(): Promise<void> {
    const { signal } = this.options;
    for await (const job of this.order.iterate(signal)) {
      let seq = 0;
      // Throws the segment's failure once the audio that came before it is out.
      for await (const chunk of job.audio.iterate(signal)) {
        const merged = this.withBuffered(chunk, job.audio);
        // Words first: they time audio that starts in this chunk.
        if (merged.words) this.sink.words?.(job.index, merged.words);
        if (merged.data.byteLength > 0) this.sink.audio(job.index, seq++, merged);
      }
      if (signal.aborted) return;
      this.sink.segmentEnd(job.index);
      this.delivered++;
      this.startMore();
    }
  }
}
