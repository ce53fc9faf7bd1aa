import type { PipelineEvent, TurnSource } from '../../shared/pipeline-events';
import { AudioDuration } from './audio-duration';

/**
 * Beyond the estimated end of a turn's audio, how long a page may still be playing it (decoding,
 * the output's latency, a busy machine) before main stops waiting for its report.
 */
export const FALLBACK_GRACE_MS = 1500;
/** However long the delivered audio seemed, no turn counts as audible longer than this after its end. */
export const MAX_AUDIBLE_AFTER_END_MS = 5 * 60_000;

/** How a turn stopped being audible, for the log. */
export type SilenceCause = 'reported' | 'estimated' | 'cut' | 'no audio';

export interface AudibleTurnOptions {
  /** Monotonic milliseconds; a fake clock in tests. */
  now?: () => number;
  onSilence?(turnId: string, cause: SilenceCause): void;
}

interface Tracked {
  turnId: string;
  source?: TurnSource;
  ended: boolean;
  /** Where the audio delivered so far ends on a player that starts each chunk on arrival. */
  estimatedEnd: number;
  audioMs: number;
  duration: AudioDuration;
}

/**
 * Whether Kiyo can still be heard: a turn's audio reaches the pages about five times faster than
 * it plays, so a turn that ended in main is often still speaking. The latest turn stays audible
 * after its `turn-end` until the first page reports it finished playing (the desktop overlay and
 * the OBS page may both play it; a report for any other turn is stale and ignored), or, when no
 * page reports (none open, or one that never does), until the end of its audio as estimated here
 * plus a grace period, so a lost report cannot hold anything back for ever. An interruption
 * (`cut`) silences it at once: the page stops its player.
 */
export class AudibleTurn {
  private turn: Tracked | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(private readonly options: AudibleTurnOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Every event of every turn, in order, as main publishes it. */
  observe(event: PipelineEvent): void {
    if (event.type === 'turn-start') {
      // The pages stop the previous turn's audio when a new one starts.
      clearTimeout(this.deadline);
      this.turn = {
        turnId: event.turnId,
        ...(event.source && { source: event.source }),
        ended: false,
        estimatedEnd: 0,
        audioMs: 0,
        duration: new AudioDuration(),
      };
      return;
    }
    const turn = this.turn;
    if (!turn || turn.turnId !== event.turnId || turn.ended) return;
    if (event.type === 'audio') this.delivered(turn, turn.duration.add(event.data, event.format));
    else if (event.type === 'turn-end') this.ended(turn);
  }

  /** A page played the turn's audio to its end. */
  finished(turnId: string): void {
    if (this.turn?.turnId === turnId && this.turn.ended) this.silence('reported');
  }

  /** The turn's audio was interrupted (the pages stop playing it). */
  cut(): void {
    if (this.turn) this.silence('cut');
  }

  /** A turn is in progress or its audio may still be playing. */
  audible(): boolean {
    return this.turn !== undefined;
  }

  /** Where the audible turn's input came from (undefined: typed, or none). */
  get source(): TurnSource | undefined {
    return this.turn?.source;
  }

  /** Called each time Kiyo falls silent; returns unsubscribe. */
  onSilent(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when Kiyo is silent (at once when she already is). */
  whenSilent(): Promise<void> {
    if (!this.turn) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onSilent(() => {
        off();
        resolve();
      });
    });
  }

  private delivered(turn: Tracked, ms: number): void {
    // As the player schedules it: right after what is queued, or now if it has run dry.
    turn.estimatedEnd = Math.max(turn.estimatedEnd, this.now()) + ms;
    turn.audioMs += ms;
  }

  private ended(turn: Tracked): void {
    this.delivered(turn, turn.duration.flush());
    turn.ended = true;
    if (turn.audioMs === 0) {
      this.silence('no audio');
      return;
    }
    const now = this.now();
    const wait = Math.min(Math.max(turn.estimatedEnd - now, 0) + FALLBACK_GRACE_MS, MAX_AUDIBLE_AFTER_END_MS);
    this.deadline = setTimeout(() => this.silence('estimated'), wait);
    this.deadline.unref?.();
  }

  private silence(cause: SilenceCause): void {
    const turnId = this.turn?.turnId;
    clearTimeout(this.deadline);
    this.deadline = undefined;
    this.turn = undefined;
    if (turnId !== undefined) this.options.onSilence?.(turnId, cause);
    for (const listener of [...this.listeners]) listener();
  }
}
