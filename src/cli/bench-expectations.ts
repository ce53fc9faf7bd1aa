import { BENCH_REPLIES, PROFILES, type ProfileName } from '../fakes/profiles';
import { tokenize } from '../fakes/tokenize';

/**
 * What the benchmark marks ✓ or ✗. The realistic profile is held to the product's targets. Any
 * other profile is held to what its own upstream timings (src/fakes/profiles.ts) allow: a slow
 * LLM makes streaming's head start smaller, so the 5× speed-up target means nothing there.
 */

export interface ProfileSummary {
  firstAudioP50Ms: number;
  /** Time to first segment + TTS time to first byte, measured on the same turns. */
  limitP50Ms: number;
  overheadP50Ms: number;
  traditionalFirstAudioP50Ms: number;
  speedup: number;
  gapsMs: number;
  /** The part of the largest silence between segments that the upstreams did not force. */
  gapExcessMs: number;
}

export type Mark = readonly [name: string, ok: boolean];

/** Which fake speech service spoke the turns (`npm run bench -- --tts openai`). */
export type BenchVoice = 'edge' | 'openai';

/** The pacing of the profile's speech service for that voice. */
export const speechOf = (profile: ProfileName, voice: BenchVoice) =>
  voice === 'openai' ? PROFILES[profile].speech : PROFILES[profile].tts;

/** The pipeline's own share does not depend on how fast the upstreams are. */
export const OVERHEAD_P50_MS = 10;
export const GAPS_MS = 20;
export const REALISTIC_SPEEDUP = 5;
/** A profile's measured speed-up may fall this far short of what its upstreams allow. */
const SPEEDUP_SHARE = 0.9;

/** Mean tokens of the benchmark's replies, as the fake LLM streams them. */
export function benchReplyTokens(): number {
  return BENCH_REPLIES.reduce((n, reply) => n + tokenize(reply).length, 0) / BENCH_REPLIES.length;
}

/**
 * The speed-up a profile's upstreams allow: traditional mode's first audio (the whole reply, then
 * the TTS's first byte) over streaming's upstream limit measured on the same run.
 */
export function expectedSpeedup(
  profile: ProfileName,
  limitP50Ms: number,
  voice: BenchVoice = 'edge',
): number {
  const { llm } = PROFILES[profile];
  const tts = speechOf(profile, voice);
  const wholeReplyMs = llm.ttftMs + ((benchReplyTokens() - 1) * 1000) / llm.tokensPerSecond;
  return (wholeReplyMs + tts.ttfbMs) / limitP50Ms;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function marksFor(profile: ProfileName, s: ProfileSummary, voice: BenchVoice = 'edge'): Mark[] {
  const marks: Mark[] = [[`overhead p50 ≤ ${OVERHEAD_P50_MS} ms`, s.overheadP50Ms <= OVERHEAD_P50_MS]];
  if (profile === 'realistic') {
    marks.push([`speed-up ≥ ${REALISTIC_SPEEDUP}×`, s.speedup >= REALISTIC_SPEEDUP]);
  } else {
    const expected = expectedSpeedup(profile, s.limitP50Ms, voice);
    const floor = expected * SPEEDUP_SHARE;
    marks.push([
      `speed-up ≥ ${round1(floor)}× (${SPEEDUP_SHARE * 100}% of the ${round1(expected)}× its upstreams allow)`,
      s.speedup >= floor,
    ]);
  }
  // The realistic profile's upstreams leave no silence at all, so the product target is absolute
  // there. A slow profile's LLM and first byte force silences of their own (a segment's text is
  // complete only after the previous one has played); the pipeline may add nothing to them.
  if (profile === 'realistic') marks.push([`gaps ≤ ${GAPS_MS} ms`, s.gapsMs <= GAPS_MS]);
  marks.push([`gaps added by the pipeline ≤ ${GAPS_MS} ms`, s.gapExcessMs <= GAPS_MS]);
  return marks;
}

/** How a profile's upstreams are paced, for the line its marks are printed on. */
export function describeProfile(profile: ProfileName, voice: BenchVoice = 'edge'): string {
  const { llm } = PROFILES[profile];
  const tts = speechOf(profile, voice);
  const speed = tts.realtimeFactor > 0 ? `${round1(1 / tts.realtimeFactor)}× real time` : 'instant';
  return `LLM first token ${llm.ttftMs} ms, ${llm.tokensPerSecond} tokens/s; TTS first byte ${tts.ttfbMs} ms, ${speed}`;
}

export const formatMarks = (marks: readonly Mark[]) =>
  marks.map(([name, ok]) => `${ok ? '✓' : '✗'} ${name}`).join('   ');
