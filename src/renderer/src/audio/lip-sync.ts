/**
 * Mouth openness from the loudness of the audio being played right now. Opens fast, closes a
 * little slower (speech looks mushy otherwise), and ignores the noise floor.
 */
export interface LipSyncTuning {
  noiseFloor: number;
  gain: number;
  attackMs: number;
  releaseMs: number;
}

export const DEFAULT_LIP_SYNC: LipSyncTuning = { noiseFloor: 0.01, gain: 6, attackMs: 25, releaseMs: 90 };

export function nextMouthOpen(
  previous: number,
  rms: number,
  dtMs: number,
  tuning = DEFAULT_LIP_SYNC,
): number {
  const target = Math.min(1, Math.max(0, (rms - tuning.noiseFloor) * tuning.gain));
  const tau = target > previous ? tuning.attackMs : tuning.releaseMs;
  const alpha = 1 - Math.exp(-Math.max(0, dtMs) / tau);
  const next = previous + (target - previous) * alpha;
  return next < 0.005 ? 0 : next;
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
