import { describe, expect, it } from 'vitest';
import {
  SPEAKING_FRAMES_PER_SECOND,
  SpeakingFrameBudget,
} from '../../src/renderer/src/avatar/speaking-frame-budget';

/** Ticks of `dtMs` while she speaks, a frame drawn whenever allowed: which ticks drew. */
function drawnTicks(budget: SpeakingFrameBudget, dtMs: number, ticks: number, speaking = true): number[] {
  const drawn: number[] = [];
  for (let t = 0; t < ticks; t++) {
    if (budget.allows(dtMs, speaking)) {
      budget.drawn();
      drawn.push(t);
    }
  }
  return drawn;
}

describe('SpeakingFrameBudget', () => {
  it('lets every frame through while she is silent', () => {
    const budget = new SpeakingFrameBudget();
    expect(drawnTicks(budget, 1000 / 30, 30, false)).toHaveLength(30);
    expect(budget.heldBack).toBe(0);
  });

  it('while she speaks at 30 fps, draws every fourth, third, fourth, fourth tick: 8 frames a second', () => {
    expect(SPEAKING_FRAMES_PER_SECOND).toBe(8);
    expect(drawnTicks(new SpeakingFrameBudget(), 1000 / 30, 30)).toEqual([0, 4, 7, 11, 15, 19, 22, 26]);
    const budget = new SpeakingFrameBudget();
    expect(drawnTicks(budget, 1000 / 30, 300)).toHaveLength(80);
    expect(budget.heldBack).toBe(220);
  });

  it('keeps to 8 a second at every cap, on average, with no two frames closer than a tick', () => {
    // On threes at 24 fps, as limited animation draws lip flaps.
    expect(drawnTicks(new SpeakingFrameBudget(), 1000 / 24, 24)).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    for (const fps of [15, 24, 30, 60]) {
      expect(drawnTicks(new SpeakingFrameBudget(), 1000 / fps, fps * 10), `${fps} fps`).toHaveLength(80);
    }
  });

  it('goes by elapsed time, not by ticks: a slow machine with long ticks is not thinned further', () => {
    // Ticks of 140 ms (the machine cannot keep up): each is past the interval, each draws.
    expect(drawnTicks(new SpeakingFrameBudget(), 140, 10)).toHaveLength(10);
  });

  it('does not make up for a pause with a burst: after a long one, frames are due an interval apart again', () => {
    const budget = new SpeakingFrameBudget();
    expect(budget.allows(1000 / 30, true)).toBe(true);
    budget.drawn();
    // Two seconds in which nothing moved (the gate drew nothing, so drawn() was not called)...
    for (let t = 0; t < 60; t++) budget.allows(1000 / 30, true);
    budget.drawn();
    // ...then frames come at the usual rate, not one on every tick to catch up.
    expect(drawnTicks(budget, 1000 / 30, 30)).toHaveLength(8);
  });

  it('draws the first frame she speaks at once, and lets a broken clock through rather than freezing', () => {
    const budget = new SpeakingFrameBudget();
    expect(budget.allows(5, true)).toBe(true);
    budget.drawn();
    expect(budget.allows(5, true)).toBe(false);
    expect(budget.allows(NaN, true)).toBe(true);
  });
});
