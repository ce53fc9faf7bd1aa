import { describe, expect, it } from 'vitest';
import { outcomeLabel, outcomeOf } from '../../src/renderer/src/preferences/latency-outcome';
import type { TurnLatency } from '../../src/shared/pipeline-events';

const base = { inputAt: 0, llmFirstToken: 300, firstSegment: 500 };

describe('how the latency chart labels a turn', () => {
  it('a spoken reply is timed', () => {
    const turn: TurnLatency = { ...base, reason: 'complete', firstAudio: 700, firstSamplePlayed: 712 };
    expect(outcomeOf(turn)).toBe('spoken');
    expect(outcomeLabel(turn, 712.4)).toBe('712 ms');
  });

  it('a failed turn says failed, never "0 ms"', () => {
    const turn: TurnLatency = { inputAt: 0, reason: 'error' };
    expect(outcomeOf(turn)).toBe('failed');
    expect(outcomeLabel(turn, 0)).toBe('failed');
    // Failed after some audio: still failed.
    expect(outcomeOf({ ...base, reason: 'error', firstAudio: 700 })).toBe('failed');
  });

  it('a reply with no audio is silent; one cut off before any is interrupted', () => {
    expect(outcomeOf({ ...base, reason: 'complete' })).toBe('silent');
    expect(outcomeLabel({ ...base, reason: 'complete' }, 500)).toBe('silent (nothing to say aloud)');
    expect(outcomeOf({ ...base, reason: 'cancelled' })).toBe('interrupted');
    expect(outcomeOf({ ...base, reason: 'cancelled', firstAudio: 600 })).toBe('spoken');
  });
});
