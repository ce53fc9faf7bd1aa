import type { AudioChunk, SynthesisRequest, TtsEngine } from './tts-engine';

/**
 * One synthesis of a phrase that several clauses may follow at once (two clauses of the same
 * reply, or a clause and the background preloader asking for the same words): the voice service
 * is asked once, and each follower gets every chunk from the first. It is abandoned (its request
 * aborted) only when the last follower leaves; `outcome` says whether the audio is complete.
 */
export class SharedSynthesis {
  private readonly chunks: AudioChunk[] = [];
  private finished = false;
  private failure: { error: unknown } | undefined;
  private waiters: (() => void)[] = [];
  private followers = 0;
  private readonly controller = new AbortController();
  /** The complete audio, or undefined when it failed, was abandoned or had none. */
  readonly outcome: Promise<AudioChunk[] | undefined>;

  constructor(engine: TtsEngine, request: Omit<SynthesisRequest, 'signal'>) {
    this.outcome = this.run(engine, request);
  }

  /** False once abandoned or finished: a new clause must start its own synthesis then. */
  get joinable(): boolean {
    return !this.finished && !this.controller.signal.aborted;
  }

  /** Every chunk from the first, then the rest as they come; throws the synthesis's error. */
  async *follow(signal: AbortSignal): AsyncGenerator<AudioChunk> {
    this.followers++;
    const onAbort = () => this.notify();
    signal.addEventListener('abort', onAbort);
    let next = 0;
    try {
      for (;;) {
        if (signal.aborted) return;
        if (next < this.chunks.length) {
          yield this.chunks[next++]!;
          continue;
        }
        if (this.finished) {
          if (this.failure) throw this.failure.error;
          return;
        }
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (--this.followers === 0 && !this.finished) this.controller.abort();
    }
  }

  private async run(
    engine: TtsEngine,
    request: Omit<SynthesisRequest, 'signal'>,
  ): Promise<AudioChunk[] | undefined> {
    const { signal } = this.controller;
    let complete = false;
    try {
      for await (const chunk of engine.synthesize({ ...request, signal })) {
        this.chunks.push(chunk);
        this.notify();
      }
      // Engines return quietly when aborted: audio cut short that way is not complete.
      complete = !signal.aborted;
    } catch (error) {
      this.failure = { error };
    }
    this.finished = true;
    this.notify();
    return complete && this.chunks.some((c) => c.data.byteLength > 0) ? this.chunks : undefined;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
