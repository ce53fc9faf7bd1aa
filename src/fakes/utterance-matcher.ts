/**
 * Which known utterance a recording is, for the fake transcription server. The page records the
 * test's speech again through a (fake) microphone, with pre-roll, hangover, gain control and
 * resampling on the way, so bytes never match: the loudness envelope (RMS per 20 ms frame) does.
 * Each known utterance's envelope is slid along the recording; the best normalised correlation
 * wins if it is clearly a match, else the recording is silence or unknown sound.
 */

const FRAME_MS = 20;
/** Below this RMS (of 32768) a frame is silence: about -50 dBFS. */
const SILENT_RMS = 100;
/** Correlation a match needs; unrelated speech and noise stay well below it. */
export const MATCH_THRESHOLD = 0.7;

export interface KnownUtterance {
  text: string;
  envelope: Float64Array;
}

/** RMS of each 20 ms frame of 16-bit samples. */
export function rmsEnvelope(samples: Int16Array, sampleRate: number): Float64Array {
  const frame = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
  const out = new Float64Array(Math.floor(samples.length / frame));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) sum += samples[i]! * samples[i]!;
    out[f] = Math.sqrt(sum / frame);
  }
  return out;
}

/** Frames louder than silence. */
export function voicedFrames(envelope: Float64Array): number {
  let n = 0;
  for (const value of envelope) if (value > SILENT_RMS) n++;
  return n;
}

/** Pearson correlation of `recording` with `reference` placed at `lag` frames (zeros elsewhere). */
function correlationAt(recording: Float64Array, reference: Float64Array, lag: number): number {
  const start = Math.min(0, lag);
  const end = Math.max(recording.length, lag + reference.length);
  const n = end - start;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = start; i < end; i++) {
    const x = recording[i] ?? 0;
    const y = reference[i - lag] ?? 0;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  return vx <= 0 || vy <= 0 ? 0 : cov / Math.sqrt(vx * vy);
}

/** The best correlation of `reference` anywhere in `recording` (a quarter of it may be cut off). */
export function bestCorrelation(recording: Float64Array, reference: Float64Array): number {
  const slack = Math.floor(reference.length / 4);
  let best = -1;
  for (let lag = -slack; lag <= recording.length - reference.length + slack; lag++)
    best = Math.max(best, correlationAt(recording, reference, lag));
  return best;
}

export interface Match {
  text: string;
  score: number;
}

/**
 * The known utterance `samples` is, or undefined when it is silence or matches none well enough.
 * Also refuses a match whose amount of speech differs by more than half (a single word is not a
 * sentence that happens to start with it).
 */
export function matchUtterance(
  samples: Int16Array,
  sampleRate: number,
  known: readonly KnownUtterance[],
): { match?: Match; silent: boolean } {
  const envelope = rmsEnvelope(samples, sampleRate);
  const voiced = voicedFrames(envelope);
  if (voiced < 3) return { silent: true };
  let best: Match | undefined;
  for (const utterance of known) {
    const ratio = voiced / Math.max(1, voicedFrames(utterance.envelope));
    if (ratio < 0.5 || ratio > 2) continue;
    const score = bestCorrelation(envelope, utterance.envelope);
    if (score >= MATCH_THRESHOLD && (!best || score > best.score)) best = { text: utterance.text, score };
  }
  return { ...(best && { match: best }), silent: false };
}
