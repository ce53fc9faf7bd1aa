import type { Logger } from '../logger';
import { isAbortError } from '../pipeline-error';
import type { AudioChunk, SynthesisRequest, TtsEngine, TtsNotice } from './tts-engine';

/** One voice in the fallback order. */
export interface FallbackLink {
  /** How messages name it: "The <label> is not answering". */
  label: string;
  engine: TtsEngine & { probe?(): Promise<boolean> };
}

const PROBE_EVERY_MS = 15_000;

/**
 * Voices in order: a clause goes to the first voice that is up. When one cannot be reached or a
 * clause fails even after its own retry, that clause is spoken by the next one and later clauses
 * skip it, while it is probed in the background (or, for a voice that cannot be probed, simply
 * tried again after a while). The first clause after it answers again uses it. Each switch is
 * announced by name. The last voice is always tried, even when it failed before.
 */
export class FallbackTtsEngine implements TtsEngine {
  private readonly down = new Set<number>();
  private readonly probing = new Map<number, NodeJS.Timeout>();
  private pendingNotices: TtsNotice[] = [];

  constructor(
    private readonly links: readonly FallbackLink[],
    private readonly logger: Logger,
    private readonly probeEveryMs = PROBE_EVERY_MS,
  ) {
    if (links.length === 0) throw new Error('a fallback needs at least one voice');
  }

  warm(): void {
    this.links[this.firstUp()]!.engine.warm();
  }

  close(): void {
    for (const timer of this.probing.values()) clearTimeout(timer);
    this.probing.clear();
    for (const link of this.links) link.engine.close();
  }

  cachedAudio(text: string): AudioChunk[] | undefined {
    return this.links[this.firstUp()]!.engine.cachedAudio?.(text);
  }

  private firstUp(): number {
    const index = this.links.findIndex((_, i) => !this.down.has(i));
    return index < 0 ? this.links.length - 1 : index;
  }

  async *synthesize(request: SynthesisRequest): AsyncGenerator<AudioChunk> {
    for (const notice of this.pendingNotices.splice(0)) request.onNotice?.(notice);
    const last = this.links.length - 1;
    for (let i = this.firstUp(); i <= last; i++) {
      if (i < last && this.down.has(i)) continue;
      try {
        yield* this.links[i]!.engine.synthesize(request);
        return;
      } catch (error) {
        if (request.signal.aborted || isAbortError(error) || i === last) {
          if (request.signal.aborted || isAbortError(error)) return;
          throw error;
        }
        this.goDown(i, error, request);
      }
    }
  }

  private goDown(index: number, error: unknown, request: SynthesisRequest): void {
    const reason = error instanceof Error ? error.message : String(error);
    // Clauses synthesised in parallel can all fail on the same outage: it is announced once.
    if (this.down.has(index)) return;
    const next =
      this.links.slice(index + 1).find((_, j) => !this.down.has(index + 1 + j)) ?? this.links.at(-1)!;
    this.down.add(index);
    const message = `The ${this.links[index]!.label} is not answering (${reason.replace(/\.$/, '')}); using the ${next.label}.`;
    this.logger.warn(message);
    request.onNotice?.({ code: 'tts-offline', message });
    this.scheduleProbe(index);
  }

  private scheduleProbe(index: number): void {
    clearTimeout(this.probing.get(index));
    const link = this.links[index]!;
    const timer = setTimeout(() => {
      void (link.engine.probe?.() ?? Promise.resolve(true)).then((up) => {
        if (!this.probing.has(index)) return; // closed meanwhile
        if (!up) return this.scheduleProbe(index);
        this.down.delete(index);
        this.probing.delete(index);
        const message = `The ${link.label} answers again; it speaks from the next sentence.`;
        this.logger.info(message);
        this.pendingNotices.push({ code: 'tts-online', message });
      });
    }, this.probeEveryMs);
    timer.unref?.();
    this.probing.set(index, timer);
  }
}
