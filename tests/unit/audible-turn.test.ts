import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeMp3, SAMPLE_RATE } from '../../src/fakes/fake-speech';
import {
  AudibleTurn,
  FALLBACK_GRACE_MS,
  MAX_AUDIBLE_AFTER_END_MS,
  type SilenceCause,
} from '../../src/main/pipeline/audible-turn';
import { MP3, pcmAt } from '../../src/shared/audio-format';
import type { PipelineEvent, TurnSource } from '../../src/shared/pipeline-events';

/**
 * When Kiyo can still be heard after a turn ended in main: until the first page reports the
 * turn's audio finished, else until the delivered audio's estimated end plus a grace period.
 */

const RATE = 24_000;
/** `ms` of 16-bit PCM silence at RATE. */
const pcm = (ms: number) => new Uint8Array(Math.round((RATE * ms) / 1000) * 2);

let clock = 0;
let silences: [string, SilenceCause][] = [];
let audible: AudibleTurn;

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  silences = [];
  audible = new AudibleTurn({ now: () => clock, onSilence: (id, cause) => silences.push([id, cause]) });
});
afterEach(() => vi.useRealTimers());

const advance = (ms: number) => {
  clock += ms;
  vi.advanceTimersByTime(ms);
};
const start = (turnId: string, source?: TurnSource): PipelineEvent => ({
  type: 'turn-start',
  turnId,
  input: 'hi',
  streaming: true,
  inputAt: 0,
  ...(source && { source }),
});
const audio = (turnId: string, data: Uint8Array, seq = 0, format = pcmAt(RATE)): PipelineEvent => ({
  type: 'audio',
  turnId,
  segmentIndex: 0,
  seq,
  format,
  data,
});
const end = (turnId: string, reason: 'complete' | 'cancelled' = 'complete'): PipelineEvent => ({
  type: 'turn-end',
  turnId,
  reason,
  text: '',
  spokenText: '',
  latency: { inputAt: 0 },
});

/** A turn whose 10 s of audio arrived at once and which then ended: still playing for ~10 s. */
function deliveredTurn(turnId = 't1'): void {
  audible.observe(start(turnId));
  audible.observe(audio(turnId, pcm(10_000)));
  audible.observe(end(turnId));
}

describe('AudibleTurn', () => {
  it("a page's report that the turn finished playing makes Kiyo silent at once", () => {
    deliveredTurn();
    advance(3_000);
    expect(audible.audible()).toBe(true);
    const woke = vi.fn();
    audible.onSilent(woke);
    audible.finished('t1');
    expect(audible.audible()).toBe(false);
    expect(woke).toHaveBeenCalledTimes(1);
    expect(silences).toEqual([['t1', 'reported']]);
    // The second page's report of the same turn, and the fallback later, change nothing.
    audible.finished('t1');
    advance(20_000);
    expect(woke).toHaveBeenCalledTimes(1);
    expect(silences).toEqual([['t1', 'reported']]);
  });

  it("ignores a stale report (an older turn's) and one that comes before the turn ended", () => {
    deliveredTurn('t1');
    audible.observe(start('t2'));
    audible.observe(audio('t2', pcm(5_000)));
    audible.finished('t1');
    expect(audible.audible()).toBe(true);
    audible.finished('t2'); // no page can have played to the end of a turn still running
    expect(audible.audible()).toBe(true);
    audible.observe(end('t2'));
    audible.finished('t1');
    expect(audible.audible()).toBe(true);
    expect(silences).toEqual([]);
    audible.finished('t2');
    expect(silences).toEqual([['t2', 'reported']]);
  });

  it('without any report, falls silent when the delivered audio has played out, plus the grace period', () => {
    deliveredTurn();
    advance(10_000 + FALLBACK_GRACE_MS - 1);
    expect(audible.audible()).toBe(true);
    advance(1);
    expect(audible.audible()).toBe(false);
    expect(silences).toEqual([['t1', 'estimated']]);
  });

  it('estimates as the player schedules: a chunk that arrives after the queue ran dry starts when it arrives', () => {
    audible.observe(start('t1'));
    audible.observe(audio('t1', pcm(1_000), 0));
    advance(3_000); // the first second played out two seconds ago
    audible.observe(audio('t1', pcm(1_000), 1));
    audible.observe(end('t1'));
    advance(1_000 + FALLBACK_GRACE_MS - 1);
    expect(audible.audible()).toBe(true);
    advance(1);
    expect(audible.audible()).toBe(false);
  });

  it('measures MP3 by its frames, however it is chunked', () => {
    const mp3 = encodeMp3(new Int16Array(SAMPLE_RATE * 4), 48); // 4 s (plus the encoder's padding)
    audible.observe(start('t1'));
    for (let i = 0, seq = 0; i < mp3.length; i += 777)
      audible.observe(audio('t1', mp3.subarray(i, i + 777), seq++, MP3));
    audible.observe(end('t1'));
    advance(4_000 + FALLBACK_GRACE_MS - 100);
    expect(audible.audible()).toBe(true);
    advance(300);
    expect(audible.audible()).toBe(false);
  });

  it("an interruption clears it at once, and the interrupted turn's late events do not bring it back", () => {
    audible.observe(start('t1'));
    audible.observe(audio('t1', pcm(10_000)));
    audible.cut();
    expect(audible.audible()).toBe(false);
    expect(silences).toEqual([['t1', 'cut']]);
    audible.observe(audio('t1', pcm(10_000), 1));
    audible.observe(end('t1', 'cancelled'));
    expect(audible.audible()).toBe(false);
    advance(30_000);
    expect(silences).toEqual([['t1', 'cut']]);
  });

  it('a turn that delivered no audio is silent when it ends', () => {
    audible.observe(start('t1'));
    expect(audible.audible()).toBe(true);
    audible.observe(end('t1'));
    expect(audible.audible()).toBe(false);
    expect(silences).toEqual([['t1', 'no audio']]);
  });

  it('is bounded: however much audio was delivered, a lost report never holds Kiyo audible for ever', () => {
    audible.observe(start('t1'));
    for (let seq = 0; seq < 60; seq++) audible.observe(audio('t1', pcm(60_000), seq)); // an hour
    audible.observe(end('t1'));
    advance(MAX_AUDIBLE_AFTER_END_MS);
    expect(audible.audible()).toBe(false);
  });

  it("keeps the audible turn's source and resolves whenSilent once it is silent", async () => {
    const chat: TurnSource = { kind: 'chat', viewer: 'amy', text: 'hi', platform: 'twitch' };
    audible.observe(start('t1', chat));
    audible.observe(audio('t1', pcm(1_000)));
    audible.observe(end('t1'));
    expect(audible.source).toEqual(chat);
    let resolved = false;
    void audible.whenSilent().then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(false);
    audible.finished('t1');
    await vi.waitFor(() => expect(resolved).toBe(true));
    expect(audible.source).toBeUndefined();
    await audible.whenSilent(); // already silent: at once
  });
});
