import { describe, expect, it } from 'vitest';
import { DEFAULT_LIP_SYNC, nextMouthOpen, rms } from '../../src/renderer/src/audio/lip-sync';

/** Mouth openness after `frames` frames of `dtMs` each at a steady loudness. */
function settle(start: number, level: number, frames: number, dtMs = 16): number {
  let mouth = start;
  for (let i = 0; i < frames; i++) mouth = nextMouthOpen(mouth, level, dtMs);
  return mouth;
}

describe('rms', () => {
  it('is the root mean square of the samples', () => {
    expect(rms(new Float32Array([1, -1, 1, -1]))).toBe(1);
    expect(rms(new Float32Array([0.5, -0.5]))).toBeCloseTo(0.5, 6);
    expect(rms(new Float32Array([3, 4, 0, 0]))).toBeCloseTo(2.5, 6);
  });

  it('is 0 for silence and for no samples at all (not NaN)', () => {
    expect(rms(new Float32Array(128))).toBe(0);
    expect(rms(new Float32Array(0))).toBe(0);
  });
});

describe('nextMouthOpen', () => {
  it('opens toward the loudness above the noise floor, never past fully open', () => {
    const { noiseFloor, gain } = DEFAULT_LIP_SYNC;
    const quiet = noiseFloor + 0.05; // target (0.05 × gain) = 0.3
    expect(settle(0, quiet, 200)).toBeCloseTo(0.05 * gain, 3);
    expect(settle(0, 0.9, 200)).toBeCloseTo(1, 6);
    expect(settle(0, 0.9, 200)).toBeLessThanOrEqual(1);
  });

  it('stays shut for noise below the floor', () => {
    expect(settle(0, DEFAULT_LIP_SYNC.noiseFloor * 0.9, 100)).toBe(0);
  });

  it('opens fast and closes slower', () => {
    const dt = DEFAULT_LIP_SYNC.attackMs; // one attack time constant: about 63 % of the way
    const opened = nextMouthOpen(0, 1, dt);
    expect(opened).toBeCloseTo(1 - Math.exp(-1), 6);
    const closedBy = 1 - nextMouthOpen(1, 0, dt);
    expect(closedBy).toBeGreaterThan(0);
    expect(closedBy).toBeLessThan(opened);
  });

  it('snaps shut instead of hovering just above closed', () => {
    // Without the snap this frame would leave 0.0055 × e^(−16/90) ≈ 0.0046 open.
    expect(nextMouthOpen(0.0055, 0, 16)).toBe(0);
    expect(settle(1, 0, 200)).toBe(0);
  });

  it('does not move in a frame with no time (or a clock that went backwards)', () => {
    expect(nextMouthOpen(0.4, 1, 0)).toBe(0.4);
    expect(nextMouthOpen(0.4, 1, -16)).toBe(0.4);
  });

  it('follows the tuning it is given', () => {
    const loose = { ...DEFAULT_LIP_SYNC, noiseFloor: 0, gain: 1 };
    let mouth = 0;
    for (let i = 0; i < 200; i++) mouth = nextMouthOpen(mouth, 0.5, 16, loose);
    expect(mouth).toBeCloseTo(0.5, 3);
  });
});
