import { describe, expect, it } from 'vitest';
import {
  BargeInGate,
  ECHO_LEVEL_FLOOR,
  FAR_END_RATIO,
  PLAYING_THRESHOLD,
} from '../../src/renderer/src/voice/barge-in-gate';
import {
  TAIL_MS,
  UtteranceSegmenter,
  type SegmentEvent,
  type SegmenterOptions,
} from '../../src/renderer/src/voice/utterance-segmenter';
import { encodeWav, toPcm16 } from '../../src/renderer/src/voice/wav-encoder';
import { detectorHangoverMs } from '../../src/shared/voice-input';
import {
  CAPTURE_CLOCK_WINDOW_MS,
  CaptureClock,
  workletFrameMs,
} from '../../src/renderer/src/voice/capture-clock';

const FRAME_MS = 32;
const FRAME = 512;
const OPTIONS: SegmenterOptions = {
  frameMs: FRAME_MS,
  speechThreshold: 0.5,
  minSpeechMs: 250,
  endSilenceMs: 500,
  preRollMs: 300,
  maxUtteranceMs: 60_000,
};

/** Feeds frames whose samples all hold their index, so a test can tell which frames were kept. */
function feed(segmenter: UtteranceSegmenter, probabilities: number[], first = 0): SegmentEvent[] {
  const events: SegmentEvent[] = [];
  probabilities.forEach((p, i) => {
    const index = first + i;
    events.push(...segmenter.push(new Int16Array(FRAME).fill(index), p, (index + 1) * FRAME_MS));
  });
  return events;
}
const frameIndices = (samples: Int16Array) => {
  const indices: number[] = [];
  for (let i = 0; i < samples.length; i += FRAME) indices.push(samples[i]!);
  return indices;
};
const times = (n: number, p: number) => Array<number>(n).fill(p);
const utterances = (events: SegmentEvent[]) =>
  events.flatMap((e) => (e.type === 'utterance' ? [e.utterance] : []));

describe('UtteranceSegmenter', () => {
  it('keeps at least the pre-roll before the detected start, and a short tail after the last voiced frame', () => {
    const segmenter = new UtteranceSegmenter(OPTIONS);
    // 20 silent frames, 20 voiced (640 ms), then silence until the hangover ends it.
    const events = feed(segmenter, [...times(20, 0.05), ...times(20, 0.9), ...times(30, 0.05)]);
    const [u] = utterances(events);
    expect(u).toBeDefined();
    const kept = frameIndices(u!.samples);
    const preRollFrames = Math.ceil(OPTIONS.preRollMs / FRAME_MS);
    expect(kept[0]).toBe(20 - preRollFrames);
    expect(kept.indexOf(20) * FRAME_MS).toBeGreaterThanOrEqual(300);
    expect(kept.at(-1)).toBe(39 + Math.ceil(TAIL_MS / FRAME_MS));
    // Contiguous: no frame lost or repeated.
    expect(kept).toEqual(kept.map((_, i) => kept[0]! + i));
    expect(u!.speechStartAt).toBe(20 * FRAME_MS);
    expect(u!.speechEndAt).toBe(40 * FRAME_MS);
    expect(u!.speechMs).toBe(20 * FRAME_MS);
  });

  it('ends exactly at the end-of-speech silence after the last voiced frame, not before', () => {
    const segmenter = new UtteranceSegmenter(OPTIONS);
    const silentFrames = Math.ceil(OPTIONS.endSilenceMs / FRAME_MS);
    const before = feed(segmenter, [...times(10, 0.9), ...times(silentFrames - 1, 0.05)]);
    expect(utterances(before)).toEqual([]);
    expect(segmenter.active).toBe(true);
    const at = feed(segmenter, [0.05], 10 + silentFrames - 1);
    expect(utterances(at)).toHaveLength(1);
    expect(segmenter.active).toBe(false);
  });

  it('decides the end of speech exactly detectorHangoverMs after the last voiced frame (whole frames)', () => {
    for (const endSilenceMs of [100, 480, 500, 512, 513, 3000]) {
      const segmenter = new UtteranceSegmenter({ ...OPTIONS, endSilenceMs });
      feed(segmenter, times(10, 0.9)); // frames 0–9 voiced: speech ends at 10 × 32 ms
      let decidedAt: number | undefined;
      for (let index = 10; decidedAt === undefined && index < 200; index++) {
        const events = feed(segmenter, [0.05], index);
        if (utterances(events).length) decidedAt = (index + 1) * FRAME_MS;
      }
      expect({ endSilenceMs, waited: decidedAt! - 10 * FRAME_MS }).toEqual({
        endSilenceMs,
        waited: detectorHangoverMs(endSilenceMs),
      });
    }
    expect(detectorHangoverMs(500)).toBe(512);
  });

  it('a pause shorter than the hangover does not split the utterance; hysteresis keeps soft tails voiced', () => {
    const segmenter = new UtteranceSegmenter(OPTIONS);
    const events = feed(segmenter, [
      ...times(10, 0.9),
      ...times(8, 0.05), // 256 ms pause
      ...times(5, 0.4), // below the start threshold, above threshold - 0.15: still voiced
      ...times(20, 0.05),
    ]);
    const all = utterances(events);
    expect(all).toHaveLength(1);
    expect(all[0]!.speechEndAt).toBe(23 * FRAME_MS);
    expect(events.filter((e) => e.type === 'speech-start')).toHaveLength(1);
  });

  it('speech shorter than the minimum is a misfire, and nothing is sent', () => {
    const segmenter = new UtteranceSegmenter(OPTIONS);
    const events = feed(segmenter, [...times(5, 0.05), ...times(3, 0.9), ...times(20, 0.05)]);
    expect(utterances(events)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'misfire']);
  });

  it('cuts an utterance that reaches the longest length', () => {
    const segmenter = new UtteranceSegmenter({ ...OPTIONS, maxUtteranceMs: 40 * FRAME_MS });
    const all = utterances(feed(segmenter, times(100, 0.9)));
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const u of all) expect(u.samples.length).toBeLessThanOrEqual(40 * FRAME);
  });

  it('push-to-talk: nothing opens without the key; hold/release bounds the utterance, pre-roll included', () => {
    const segmenter = new UtteranceSegmenter(OPTIONS);
    segmenter.hold();
    expect(segmenter.release()).toEqual([{ type: 'misfire' }]);
    // Key held from frame 10: speech, then a long silence that must not end it, then release.
    feed(segmenter, times(10, 0.05));
    segmenter.hold();
    const held = feed(segmenter, [...times(15, 0.9), ...times(40, 0.05)], 10);
    expect(utterances(held)).toEqual([]);
    const [u] = utterances(segmenter.release());
    expect(u).toBeDefined();
    const kept = frameIndices(u!.samples);
    expect(kept[0]).toBe(10 - Math.ceil(OPTIONS.preRollMs / FRAME_MS));
    expect(kept.at(-1)).toBe(24 + Math.ceil(TAIL_MS / FRAME_MS));
    expect(u!.speechEndAt).toBe(25 * FRAME_MS);
    expect(segmenter.release()).toEqual([]);
  });

  it('push-to-talk: a key held over silence only is a misfire', () => {
    const segmenter = new UtteranceSegmenter(OPTIONS);
    segmenter.hold();
    feed(segmenter, times(30, 0.1));
    expect(segmenter.release()).toEqual([{ type: 'misfire' }]);
  });
});

describe('BargeInGate (barge-in and echo)', () => {
  const options = {
    bargeIn: true,
    bargeInMinSpeechMs: 300,
    minSpeechMs: 250,
    speechThreshold: 0.5,
    frameMs: 32,
  };
  const loud = { playing: true, probability: 0.95, level: 0.1, farEnd: 0.1 };
  const run = (gate: BargeInGate, frame: typeof loud, n: number) =>
    Array.from({ length: n }, () => gate.frame(frame));

  it('interrupts once, on the frame that completes the barge-in speech length', () => {
    const gate = new BargeInGate(options);
    const decisions = run(gate, loud, 20);
    const frameNeeded = Math.ceil(300 / 32) - 1;
    expect(decisions.indexOf(true)).toBe(frameNeeded);
    expect(decisions.filter(Boolean)).toHaveLength(1);
    expect(gate.accepted).toBe(true);
  });

  it("Kiyo's own voice at echo level never interrupts and is not sent", () => {
    const quiet = new BargeInGate(options);
    expect(run(quiet, { ...loud, level: ECHO_LEVEL_FLOOR / 2 }, 200)).not.toContain(true);
    expect(quiet.accepted).toBe(false);
    // Gain control can lift the echo well above the floor: still quieter than what she plays.
    const lifted = new BargeInGate(options);
    expect(run(lifted, { ...loud, level: 0.1, farEnd: 0.1 / FAR_END_RATIO + 0.01 }, 200)).not.toContain(true);
    expect(lifted.accepted).toBe(false);
    const unsure = new BargeInGate(options);
    expect(run(unsure, { ...loud, probability: PLAYING_THRESHOLD - 0.05 }, 200)).not.toContain(true);
    expect(unsure.accepted).toBe(false);
  });

  it('a syllable shorter than the barge-in length does not interrupt', () => {
    const gate = new BargeInGate(options);
    expect([...run(gate, loud, 5), ...run(gate, { ...loud, probability: 0.1 }, 50)]).not.toContain(true);
  });

  it('barge-in off: talking over Kiyo neither interrupts nor is sent', () => {
    const gate = new BargeInGate({ ...options, bargeIn: false });
    expect(run(gate, loud, 100)).not.toContain(true);
    expect(gate.accepted).toBe(false);
  });

  it('speech when Kiyo is silent is the user’s at the normal threshold, even after she stopped mid-utterance', () => {
    const gate = new BargeInGate(options);
    expect(run(gate, { playing: false, probability: 0.6, level: 0.001, farEnd: 0 }, 20)).not.toContain(true);
    expect(gate.accepted).toBe(true);
    const late = new BargeInGate({ ...options, bargeIn: false });
    run(late, loud, 5);
    run(late, { ...loud, playing: false }, 10);
    expect(late.accepted).toBe(true);
    late.reset();
    run(late, loud, 5);
    expect(late.accepted).toBe(false);
    // A gap in her audio does not make the speech around it the user's.
    late.reset();
    run(late, loud, 5);
    run(late, { ...loud, playing: false }, 5);
    run(late, loud, 5);
    run(late, { ...loud, playing: false }, 5);
    expect(late.accepted).toBe(false);
  });
});

describe('encodeWav', () => {
  it('writes a 16 kHz mono 16-bit PCM WAV, clipping out-of-range samples', () => {
    const wav = encodeWav(toPcm16(Float32Array.from([0, 0.5, -0.5, 1, -1, 2, -2])), 16_000);
    const view = new DataView(wav.buffer);
    const text = (o: number, n: number) => String.fromCharCode(...wav.slice(o, o + n));
    expect(text(0, 4)).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect(text(8, 8)).toBe('WAVEfmt ');
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint32(28, true)).toBe(32_000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(text(36, 4)).toBe('data');
    expect(view.getUint32(40, true)).toBe(14);
    const samples = Array.from({ length: 7 }, (_, i) => view.getInt16(44 + i * 2, true));
    expect(samples).toEqual([0, 16384, -16384, 32767, -32768, 32767, -32768]);
  });
});

describe('CaptureClock', () => {
  it('stamps frames by their sample count, anchored by the least delayed arrival', () => {
    const clock = new CaptureClock(32);
    // Captured at 1000 + 32k; the page was busy for frames 2–5, which arrived in one burst at 1200.
    const arrivals = [1033, 1065, 1200, 1200, 1200, 1200, 1226, 1257];
    const stamps = arrivals.map((a) => clock.stamp(a));
    expect(stamps.slice(2, 6)).toEqual([1096, 1128, 1160, 1192].map((t) => t + 1));
    // Evenly spaced throughout: speech is neither stretched nor squeezed by the burst.
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBe(32);
    // Never later than the arrival.
    stamps.forEach((s, i) => expect(s).toBeLessThanOrEqual(arrivals[i]!));
  });

  it('at 44.1 kHz the stamps keep to the frames captured, however long the microphone has been open', () => {
    // vad-web's worklet takes 1412 input samples per 512-sample frame at 44.1 kHz (1411.2 exact).
    const period = workletFrameMs(44_100, 512, 16_000);
    expect(period).toBeCloseTo((1412 / 44_100) * 1000, 9);
    expect(workletFrameMs(48_000, 512, 16_000)).toBe(32);
    // Frames captured every `period` ms from t = 5000, each on the main thread 3–11 ms later.
    const clock = new CaptureClock(period);
    const frames = 2000; // 64 s
    let worst = 0;
    for (let k = 1; k <= frames; k++) {
      const captured = 5000 + k * period;
      const arrived = captured + 3 + ((k * 7) % 9);
      const stamp = clock.stamp(arrived);
      expect(stamp).toBeLessThanOrEqual(arrived);
      if (k > 9) worst = Math.max(worst, Math.abs(stamp - captured - 3));
    }
    // Off by no more than the least delay (3 ms) after a minute: a nominal 32 ms clock would be
    // 36 ms early by then (2000 × 0.018 ms).
    expect(worst).toBeLessThan(1e-6);
  });

  it('re-anchors after the audio path lost samples, so later stamps are not early by the loss', () => {
    const period = 32;
    const clock = new CaptureClock(period, CAPTURE_CLOCK_WINDOW_MS);
    const windowFrames = Math.ceil(CAPTURE_CLOCK_WINDOW_MS / period);
    // Captured every 32 ms from t = 0, delivered 3–11 ms later; after frame 300 the audio thread
    // dropped 190 ms of buffers: frame k > 300 holds audio captured at k × 32 + 190.
    const captured = (k: number) => k * period + (k > 300 ? 190 : 0);
    const delay = (k: number) => 3 + ((k * 7) % 9);
    const stamps: number[] = [];
    for (let k = 1; k <= 300 + windowFrames + 50; k++) stamps[k] = clock.stamp(captured(k) + delay(k));
    // The loss happened, and a clock anchored for good before it stamps early by all of it.
    expect(stamps[300]! - captured(300)).toBeCloseTo(3, 6);
    expect(stamps[301]! - captured(301)).toBeCloseTo(3 - 190, 6);
    // One window later the stamps are right again, and the loss shows in lostMs.
    for (let k = 301 + windowFrames; k <= 300 + windowFrames + 50; k++)
      expect(stamps[k]! - captured(k)).toBeCloseTo(3, 6);
    expect(clock.lostMs).toBeCloseTo(190, 6);
  });

  it('a burst after a stall shorter than the window is still stamped by count, and loses nothing', () => {
    const clock = new CaptureClock(32, 1000);
    // Captured at 32k, delivered 4 ms later, except frames 40–60 (a 670 ms stall) all at once.
    const stamps: number[] = [];
    for (let k = 1; k <= 100; k++) {
      const arrived = k >= 40 && k <= 60 ? 60 * 32 + 4 : k * 32 + 4;
      stamps[k] = clock.stamp(arrived);
    }
    for (let k = 1; k <= 100; k++) expect(stamps[k]).toBe(k * 32 + 4);
    expect(clock.lostMs).toBe(0);
  });
});
