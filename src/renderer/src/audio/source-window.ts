/**
 * How far ahead of the audio clock chunks are handed to Web Audio. Chromium processes every
 * scheduled-but-not-started AudioBufferSourceNode on every render quantum, and TTS arrives several
 * times faster than real time: with a whole reply scheduled (25 s ahead) the page's audio thread
 * cost 7.7 % of a core against 3.8 % with 1 s ahead, for the same audio. 2 s keeps that bound
 * small while leaving a main thread blocked (GC, a model load, a busy hidden page) two seconds to
 * deliver the next `ended` before the audio runs out.
 */
export const LOOKAHEAD_SECONDS = 2;

export interface AudioClock {
  readonly currentTime: number;
}

/** A chunk on the turn's timeline, in seconds of the audio clock. */
export interface TimedChunk<T> {
  readonly item: T;
  readonly duration: number;
  /** Where it plays: planned on arrival; once started, where it really did (later if it was late). */
  start: number;
}

/**
 * A turn's decoded chunks, played back to back, of which only those starting within
 * LOOKAHEAD_SECONDS of the end of the one playing are given to Web Audio (`startChunk`); the rest
 * wait here. The window moves on when a chunk arrives and when a started one ends (`ended`):
 * `ended` is delivered even in a hidden page whose timers are throttled to once a minute, so the
 * OBS page and a hidden overlay keep talking without a timer (and no timer runs while the main
 * thread is blocked either).
 */
export class SourceWindow<T> {
  /** Started in Web Audio and not yet ended, in start order. */
  private readonly live: TimedChunk<T>[] = [];
  private readonly waiting: TimedChunk<T>[] = [];
  /** Where the next chunk to arrive is planned: right after the last one. */
  private nextTime = 0;
  /** Where the last started chunk really ends: the next one never starts before. */
  private tail = 0;

  constructor(
    private readonly clock: AudioClock,
    private readonly startChunk: (chunk: TimedChunk<T>) => void,
    private readonly lookahead = LOOKAHEAD_SECONDS,
  ) {}

  /**
   * Plans a chunk right after the previous one (or now, if the audio ran out) and starts it at
   * once if it is within the window, in this same call: a turn's first chunk always is.
   */
  add(item: T, duration: number): TimedChunk<T> {
    const now = this.clock.currentTime;
    const chunk: TimedChunk<T> = { item, duration, start: Math.max(this.nextTime, now) };
    this.nextTime = chunk.start + duration;
    this.waiting.push(chunk);
    this.topUp(now);
    return chunk;
  }

  /** A started chunk finished playing: the window moves on. */
  ended(chunk: TimedChunk<T>): void {
    const index = this.live.indexOf(chunk);
    if (index >= 0) this.live.splice(index, 1);
    this.topUp(this.clock.currentTime);
  }

  /** Chunks playing or still to play (started or waiting). */
  get size(): number {
    return this.live.length + this.waiting.length;
  }

  /** Chunks given to Web Audio and not yet ended. */
  get started(): readonly TimedChunk<T>[] {
    return this.live;
  }

  /** Forgets every chunk; returns the started ones (their sources are the caller's to stop). */
  clear(): TimedChunk<T>[] {
    const started = this.live.splice(0);
    this.waiting.length = 0;
    this.nextTime = 0;
    this.tail = 0;
    return started;
  }

  /**
   * Starts every waiting chunk that begins within the lookahead of the end of the earliest
   * chunk still playing (or of now): that chunk's `ended` is the next top-up, so even a chunk
   * longer than the lookahead has its successor started before it runs out.
   */
  private topUp(now: number): void {
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      const horizon = Math.max(now, this.live[0] ? this.live[0].start + this.live[0].duration : now);
      if (next.start > horizon + this.lookahead) return;
      this.waiting.shift();
      // Normally its planned start (= the tail). If its time has passed (the main thread was
      // blocked longer than the lookahead) it starts now, and as each later chunk starts no
      // earlier than the one before it ends, they all move by as much: nothing overlaps, and
      // Web Audio is told the real time, so the gap shows where start() is recorded.
      next.start = Math.max(next.start, this.tail, now);
      this.tail = next.start + next.duration;
      this.live.push(next);
      this.startChunk(next);
    }
  }
}
