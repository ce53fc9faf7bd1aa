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

  it('while she speaks, draws on threes at 30 fps and on sixes at 60: about 10 frames a second', () => {
    expect(SPEAKING_FRAMES_PER_SECOND).toBe(10);
    expect(drawnTicks(new SpeakingFrameBudget(), 1000 / 30, 30)).toEqual([
      0, 3, 6, 9, 12, 15, 18, 21, 24, 27,
    ]);
    expect(drawnTicks(new SpeakingFrameBudget(), 1000 / 60, 60)).toHaveLength(10);
    const budget = new SpeakingFrameBudget();
    drawnTicks(budget, 1000 / 30, 30);
    expect(budget.heldBack).toBe(20);
  });

  it('does not thin a cap that is already coarse: every frame at 15 fps, every other at 24', () => {
    expect(drawnTicks(new SpeakingFrameBudget(), 1000 / 15, 15)).toHaveLength(15);
    expect(drawnTicks(new SpeakingFrameBudget(), 1000 / 24, 24)).toHaveLength(12);
  });

  it('goes by elapsed time, not by ticks: a slow machine with long ticks is not thinned further', () => {
    // Ticks of 110 ms (the machine cannot keep up): each is past the interval, each draws.
    expect(drawnTicks(new SpeakingFrameBudget(), 110, 10)).toHaveLength(10);
  });

  it('draws the first frame she speaks at once, and lets a broken clock through rather than freezing', () => {
    const budget = new SpeakingFrameBudget();
    expect(budget.allows(5, true)).toBe(true);
    budget.drawn();
    expect(budget.allows(5, true)).toBe(false);
    expect(budget.allows(NaN, true)).toBe(true);
  });
});
