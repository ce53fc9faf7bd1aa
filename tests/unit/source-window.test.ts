import { describe, expect, it } from 'vitest';
import { LOOKAHEAD_SECONDS, SourceWindow, type TimedChunk } from '../../src/renderer/src/audio/source-window';

/**
 * The window over a fake audio clock: what it hands to Web Audio is recorded as (chunk, when),
 * and a source "ends" when the test says so, as Web Audio's `ended` would.
 */
function setUp() {
  const clock = { currentTime: 0 };
  const started: { id: number; when: number }[] = [];
  const window = new SourceWindow<number>(clock, (chunk) =>
    started.push({ id: chunk.item, when: chunk.start }),
  );
  const chunks: TimedChunk<number>[] = [];
  const add = (count: number, duration: number) => {
    for (let i = 0; i < count; i++) chunks.push(window.add(chunks.length, duration));
  };
  /** The clock runs on to `t`, each started chunk ending on time (`ended` as soon as it is over). */
  const playUntil = (t: number) => {
    for (let next = window.started[0]; next && next.start + next.duration <= t; next = window.started[0]) {
      clock.currentTime = next.start + next.duration;
      window.ended(next);
    }
    clock.currentTime = t;
  };
  return { clock, window, started, chunks, add, playUntil };
}

/** Each start where the one before it ends: no gap, no overlap. */
function expectBackToBack(started: { when: number }[], duration: number): void {
  for (let i = 1; i < started.length; i++)
    expect(started[i]!.when).toBeCloseTo(started[i - 1]!.when + duration, 9);
}

describe('SourceWindow', () => {
  it('starts a turn at once and only the chunks within the lookahead; the rest wait', () => {
    const { window, started, add } = setUp();
    add(1, 0.25);
    // The first chunk is handed over in the very call that added it (first-sample latency).
    expect(started).toEqual([{ id: 0, when: 0 }]);
    add(79, 0.25); // 20 s arriving at once
    // Within LOOKAHEAD_SECONDS of the end of the chunk playing now (0.25 s): 0..2.25 s.
    const ahead = (0.25 + LOOKAHEAD_SECONDS) / 0.25 + 1;
    expect(started).toHaveLength(ahead);
    expect(Math.max(...started.map((s) => s.when))).toBeLessThanOrEqual(0.25 + LOOKAHEAD_SECONDS);
    expect(window.size).toBe(80);
    expect(window.started).toHaveLength(ahead);
    expectBackToBack(started, 0.25);
  });

  it('moves on as sources end, and as chunks arrive, keeping them back to back', () => {
    const { clock, window, started, add, playUntil } = setUp();
    add(40, 0.25);
    const first = started.length;
    playUntil(1);
    // Four chunks ended: four more started, the window still bounded.
    expect(started).toHaveLength(first + 4);
    expect(Math.max(...started.map((s) => s.when))).toBeLessThanOrEqual(1.25 + LOOKAHEAD_SECONDS);
    playUntil(10);
    expect(started).toHaveLength(40);
    expectBackToBack(started, 0.25);
    playUntil(10.5); // all over
    expect(window.size).toBe(0);

    // A new chunk after the audio ran out plays now; one arriving within the window starts at once.
    clock.currentTime = 11;
    add(1, 0.25);
    expect(started.at(-1)).toEqual({ id: 40, when: 11 });
    add(1, 0.25);
    expect(started.at(-1)).toEqual({ id: 41, when: 11.25 });
  });

  it('starts the next chunk before a chunk longer than the lookahead runs out (its end is the only top-up)', () => {
    const { started, add, playUntil } = setUp();
    add(1, 5);
    add(3, 0.5);
    // 5 s plays: the chunk after it is handed over now, not when the 5 s chunk ends.
    expect(started.map((s) => s.when)).toEqual([0, 5, 5.5, 6]);
    playUntil(5);
    expect(started).toHaveLength(4);
  });

  it('starts a chunk whose time passed at the current time, and moves every later one by as much', () => {
    const { clock, window, started, chunks, add, playUntil } = setUp();
    add(20, 0.25);
    const before = started.length;
    const planned = chunks[before]!.start;
    // The main thread was blocked: the started chunks ended unseen, 0.5 s past the next one's time.
    clock.currentTime = planned + 0.5;
    for (const chunk of [...window.started]) window.ended(chunk);
    expect(started[before]).toEqual({ id: before, when: planned + 0.5 });
    // The gap shows in the times handed over; the rest follow it with no overlap.
    expect(started[before]!.when - (started[before - 1]!.when + 0.25)).toBeCloseTo(0.5, 9);
    expectBackToBack(started.slice(before), 0.25);
    playUntil(20);
    expect(started).toHaveLength(20);
    expect(started.at(-1)!.when).toBeCloseTo(19 * 0.25 + 0.5, 9);
    expectBackToBack(started.slice(before), 0.25);
  });

  it('a chunk arriving after a late start plays right after the moved ones: no overlap, no second gap', () => {
    const { clock, window, started, add } = setUp();
    add(20, 0.25);
    const late = started.length; // planned at 2.5 s
    clock.currentTime = 4; // blocked past the window
    for (const chunk of [...window.started]) window.ended(chunk);
    expect(started[late]!.when).toBe(4);
    add(1, 0.25);
    expect(started.at(-1)!.id).toBe(20);
    expectBackToBack(started.slice(late), 0.25);
  });

  it('clear drops the waiting chunks and returns only the started ones', () => {
    const { window, started, add, playUntil } = setUp();
    add(40, 0.25);
    const handedOver = started.length;
    const cleared = window.clear();
    expect(cleared.map((c) => c.item)).toEqual(started.map((s) => s.id));
    expect(window.size).toBe(0);
    // Nothing that waited is ever started, whatever ends later.
    playUntil(20);
    expect(started).toHaveLength(handedOver);
    // The next turn starts afresh at the clock, not after the dropped chunks.
    add(1, 0.25);
    expect(started.at(-1)).toEqual({ id: 40, when: 20 });
  });
});
