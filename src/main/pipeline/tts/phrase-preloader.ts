import type { Logger } from '../logger';
import { isAbortError } from '../pipeline-error';
import type { CachingTtsEngine, ForegroundActivity } from './caching-tts-engine';
import type { PhraseCache } from './phrase-cache';

/** Quiet time after the last clause before preloading resumes: a reply's clauses come in bursts. */
const QUIET_MS = 1500;

/**
 * Synthesises common phrases (and the first-sound fillers) into the cache in the background, one
 * at a time, only while no clause is being synthesised: a clause that starts aborts the phrase in
 * flight (it is tried again later), so preloading never holds a connection a reply needs. Asked
 * again on every settings change; phrases already cached for the voice are skipped, so a new
 * voice gets its phrases and an unchanged one costs nothing.
 */
export class PhrasePreloader implements ForegroundActivity {
  private foreground = 0;
  private lastForegroundEnd = Number.NEGATIVE_INFINITY;
  private inFlight: AbortController | undefined;
  private job: { engine: CachingTtsEngine; texts: string[]; tried: Set<string> } | undefined;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly cache: PhraseCache,
    private readonly logger: Logger,
    private readonly quietMs = QUIET_MS,
  ) {}

  begin(): void {
    this.foreground++;
    this.inFlight?.abort();
  }

  end(): void {
    this.lastForegroundEnd = performance.now();
    if (--this.foreground === 0) this.wake?.();
  }

  /** Preload `texts` for `engine` (the chosen voice), replacing any earlier request. */
  request(engine: CachingTtsEngine, texts: readonly string[]): void {
    if (this.closed) return;
    this.job = { engine, texts: [...new Set(texts)], tried: new Set() };
    this.kick();
  }

  private kick(): void {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      if (this.job && !this.closed) this.kick(); // asked again while the last run was ending
    });
  }

  /** Resolves once the current request is done (every phrase cached or tried); for tests and the benchmark. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  close(): void {
    this.closed = true;
    this.job = undefined;
    this.inFlight?.abort();
    this.wake?.();
  }

  private async run(): Promise<void> {
    await this.cache.ready;
    for (;;) {
      const job = this.job;
      if (this.closed || !job || this.cache.limitBytes === 0) return;
      const text = job.texts.find((t) => !job.tried.has(t) && !job.engine.has(t));
      if (text === undefined) {
        this.job = undefined;
        return;
      }
      await this.quiet();
      if (this.job !== job || this.closed) continue;
      const controller = new AbortController();
      this.inFlight = controller;
      try {
        await job.engine.fill(text, controller.signal);
        // Stepped aside for a clause: tried again once it is quiet. Otherwise done (or too large).
        if (!controller.signal.aborted) job.tried.add(text);
      } catch (error) {
        if (!isAbortError(error)) {
          job.tried.add(text);
          const reason = error instanceof Error ? error.message : String(error);
          this.logger.info(
            `could not preload the phrase "${text}" (${reason}); it is synthesised when first needed`,
          );
        }
      } finally {
        this.inFlight = undefined;
      }
    }
  }

  /** Waits until no clause is being synthesised and none has been for `quietMs`. */
  private async quiet(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const wait = this.foreground > 0 ? Infinity : this.lastForegroundEnd + this.quietMs - performance.now();
      if (wait <= 0) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (wait !== Infinity) setTimeout(resolve, wait).unref?.();
      });
      this.wake = undefined;
    }
  }
}
