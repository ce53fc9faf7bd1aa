import CodecParser from 'codec-parser';
import type { Conversation } from '../main/pipeline/conversation';
import { phraseCacheOptions } from '../main/pipeline/phrase-cache-options';
import { PhraseCache } from '../main/pipeline/tts/phrase-cache';
import { FILLER_SEGMENT, type LatencyMarks, type PipelineEvent } from '../shared/pipeline-events';
import type { PipelineSettingsInput } from '../shared/settings';
import { percentile } from '../shared/stats';
import type { Mark } from './bench-expectations';
import { fakeConversation, type FakeUpstreams } from './fake-conversation';

/**
 * The phrase cache and the instant first sound, measured against the fake upstreams (realistic
 * profile): when the first sound of any kind is heard with the option on, next to the reply's
 * own first audio; the same reply figures with the option off; the cache's hit rate over a run
 * in which the replies repeat; and how soon a cached first clause is out after the LLM's first
 * segment. Each conversation has its own in-memory cache (nothing on disk).
 */

/** The instant first sound, as the benchmark holds it: heard this soon after Enter. */
export const FIRST_SOUND_MS = 100;
/** The bench's filler delay: the default 250 ms could never meet the target above. */
export const BENCH_FILLER_DELAY_MS = 50;
/** A cached first clause is out this soon after the LLM's first segment. */
export const CACHED_CLAUSE_MS = 5;
/** The pipeline's own share of the first audio, as in the main run (bench-expectations.ts). */
const OVERHEAD_P50_MS = 10;

export interface PhraseBenchSummary {
  turns: number;
  fillerDelayMs: number;
  /** Option on: Enter → first audio of any kind out of the pipeline (the filler, mostly). */
  firstSoundP50Ms: number;
  firstSoundP95Ms: number;
  /**
   * Option on: the reply's own first audio (its mark does not move for the filler). The fake's
   * replies repeat, so after the first turns their first clauses come from the cache too.
   */
  replyFirstAudioP50Ms: number;
  /** Option on: when the reply can be heard, queued after the filler in the player. */
  replyHeardP50Ms: number;
  /** Option off, same turns: the reply's first audio and the pipeline's share of it. */
  offFirstAudioP50Ms: number;
  offOverheadP50Ms: number;
  /** Option off: turns whose firstSound mark differs from firstAudio (must be none). */
  offFirstSoundMismatches: number;
  /** Clause lookups over a run whose replies repeat. */
  cacheLookups: number;
  cacheHits: number;
  /** Lookups of a clause already spoken earlier in the run: the most the cache can hit. */
  cacheRepeats: number;
  hitRate: number;
  /** Turns whose first clause came from the cache: first audio − first segment. */
  cachedClauseTurns: number;
  cachedClauseP50Ms: number;
  cachedClauseP95Ms: number;
}

interface TurnOutcome {
  latency: LatencyMarks;
  /** ms after Enter that the first audio event of any kind arrived here. */
  firstAudioEvent?: number;
  /** Duration of the filler's audio, ms (0 without one). */
  fillerMs: number;
  spoken: string[];
}

const round = (n: number) => Math.round(n * 100) / 100;

function mp3DurationMs(chunks: Uint8Array[]): number {
  if (chunks.length === 0) return 0;
  const parser = new CodecParser('audio/mpeg');
  let ms = 0;
  const frames = (it: unknown) => it as Iterable<{ duration: number }>;
  for (const chunk of chunks) for (const frame of frames(parser.parseChunk(chunk))) ms += frame.duration;
  for (const frame of frames(parser.flush())) ms += frame.duration;
  return ms;
}

/** One turn; with `untilFirstReplyAudio`, stopped there (the rest of the reply adds nothing here). */
async function turn(
  conversation: Conversation,
  input: string,
  untilFirstReplyAudio: boolean,
): Promise<TurnOutcome> {
  const controller = new AbortController();
  const start = performance.now();
  const filler: Uint8Array[] = [];
  const segments = new Map<number, string>();
  let firstAudioEvent: number | undefined;
  let end: Extract<PipelineEvent, { type: 'turn-end' }> | undefined;
  for await (const event of conversation.runTurn(input, { signal: controller.signal })) {
    if (event.type === 'audio') {
      firstAudioEvent ??= performance.now() - start;
      if (event.segmentIndex === FILLER_SEGMENT) filler.push(event.data);
      else if (untilFirstReplyAudio) controller.abort();
    }
    if (event.type === 'segment') segments.set(event.index, event.spokenText);
    if (event.type === 'error') throw new Error(`phrase bench turn failed: ${event.message}`);
    if (event.type === 'turn-end') end = event;
  }
  return {
    latency: end!.latency,
    ...(firstAudioEvent !== undefined && { firstAudioEvent }),
    fillerMs: mp3DurationMs(filler),
    spoken: [...segments.values()],
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`phrase bench: gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cachedConversation(upstreams: FakeUpstreams, overrides: PipelineSettingsInput) {
  const settings: PipelineSettingsInput = {
    llm: { maxRetries: 0 },
    character: { historyMaxMessages: 0 },
    ...overrides,
  };
  const cache = new PhraseCache(0);
  const conversation = fakeConversation(upstreams, settings, 'edge', cache);
  return { conversation, cache, expected: phraseCacheOptions(conversation.currentSettings).preload.length };
}

export async function phraseBench(upstreams: FakeUpstreams, turns: number): Promise<PhraseBenchSummary> {
  // 1. First sound, option on and off, on the same upstreams; the fillers are preloaded first.
  const on = cachedConversation(upstreams, {
    firstSound: { enabled: true, delayMs: BENCH_FILLER_DELAY_MS },
    phraseCache: { preloadPhrases: [] },
  });
  await until(() => on.cache.stats().entries >= on.expected, 'the fillers to be preloaded');
  // Off: the main run's composition (no cache), so its reply figures are the main run's.
  const off = {
    conversation: fakeConversation(upstreams, {
      llm: { maxRetries: 0 },
      character: { historyMaxMessages: 0 },
    }),
  };
  const onTurns: TurnOutcome[] = [];
  const offTurns: TurnOutcome[] = [];
  for (let i = 0; i < turns + 2; i++) {
    // A fresh input each turn and two warm-up turns, as the main run does.
    const a = await turn(on.conversation, `first sound ${i}`, true);
    const b = await turn(off.conversation, `first sound ${i}`, true);
    if (i < 2) continue;
    onTurns.push(a);
    offTurns.push(b);
  }
  on.conversation.close();
  off.conversation.close();

  // 2. Hit rate and cached first clauses: the fake's replies repeat every few turns.
  const run = cachedConversation(upstreams, { phraseCache: { preloadPhrases: [] } });
  const seen = new Set<string>();
  let repeats = 0;
  const cachedClause: number[] = [];
  for (let i = 0; i < Math.max(turns, 6); i++) {
    const before = run.cache.stats().hits;
    const outcome = await turn(run.conversation, `repeat ${i}`, false);
    for (const text of outcome.spoken) {
      if (seen.has(text)) repeats++;
      seen.add(text);
    }
    const { firstAudio, firstSegment } = outcome.latency;
    // A first clause from the cache asks for no first byte: no ttsFirstRequestSent mark.
    if (run.cache.stats().hits > before && outcome.latency.ttsFirstRequestSent === undefined)
      cachedClause.push(firstAudio! - firstSegment!);
  }
  run.conversation.close();
  const { hits, misses } = run.cache.stats();

  const col = (rows: TurnOutcome[], f: (t: TurnOutcome) => number) => rows.map(f);
  const onFirstSound = col(onTurns, (t) => t.firstAudioEvent!);
  return {
    turns,
    fillerDelayMs: BENCH_FILLER_DELAY_MS,
    firstSoundP50Ms: round(percentile(onFirstSound, 50)),
    firstSoundP95Ms: round(percentile(onFirstSound, 95)),
    replyFirstAudioP50Ms: round(
      percentile(
        col(onTurns, (t) => t.latency.firstAudio!),
        50,
      ),
    ),
    replyHeardP50Ms: round(
      percentile(
        col(onTurns, (t) =>
          Math.max(t.latency.firstAudio!, t.fillerMs > 0 ? t.latency.firstSound! + t.fillerMs : 0),
        ),
        50,
      ),
    ),
    offFirstAudioP50Ms: round(
      percentile(
        col(offTurns, (t) => t.latency.firstAudio!),
        50,
      ),
    ),
    offOverheadP50Ms: round(
      percentile(
        col(
          offTurns,
          ({ latency: l }) => l.firstAudio! - (l.firstSegment! + (l.ttsFirstByte! - l.ttsFirstRequestSent!)),
        ),
        50,
      ),
    ),
    offFirstSoundMismatches: offTurns.filter((t) => t.latency.firstSound !== t.latency.firstAudio).length,
    cacheLookups: hits + misses,
    cacheHits: hits,
    cacheRepeats: repeats,
    hitRate: round(hits / Math.max(1, hits + misses)),
    cachedClauseTurns: cachedClause.length,
    cachedClauseP50Ms: round(percentile(cachedClause, 50)),
    cachedClauseP95Ms: round(percentile(cachedClause, 95)),
  };
}

export function phraseMarks(s: PhraseBenchSummary): Mark[] {
  return [
    [`first sound p95 ≤ ${FIRST_SOUND_MS} ms after Enter (option on)`, s.firstSoundP95Ms <= FIRST_SOUND_MS],
    [
      `cached first clause out ≤ ${CACHED_CLAUSE_MS} ms after the LLM's first segment (p95)`,
      s.cachedClauseTurns > 0 && s.cachedClauseP95Ms <= CACHED_CLAUSE_MS,
    ],
    ['every repeated clause a cache hit', s.cacheHits >= s.cacheRepeats && s.cacheRepeats > 0],
    [
      `option off: reply unchanged (overhead p50 ≤ ${OVERHEAD_P50_MS} ms, firstSound = firstAudio)`,
      s.offOverheadP50Ms <= OVERHEAD_P50_MS && s.offFirstSoundMismatches === 0,
    ],
  ];
}

export function formatPhraseBench(s: PhraseBenchSummary): string {
  const pad = ''.padEnd(10);
  return [
    `${'phrases'.padEnd(10)} first sound (filler after ${s.fillerDelayMs} ms) p50 ${s.firstSoundP50Ms} ms, p95 ${s.firstSoundP95Ms} ms after Enter; the reply's own first audio p50 ${s.replyFirstAudioP50Ms} ms, heard after the filler at p50 ${s.replyHeardP50Ms} ms`,
    `${pad} option off: reply first audio p50 ${s.offFirstAudioP50Ms} ms, pipeline overhead p50 ${s.offOverheadP50Ms} ms (${s.turns} turns each)`,
    `${pad} cache hit rate ${Math.round(s.hitRate * 100)}% (${s.cacheHits} of ${s.cacheLookups} clauses; ${s.cacheRepeats} were repeats of an earlier clause)`,
    `${pad} cached first clause out ${s.cachedClauseP50Ms} ms (p50), ${s.cachedClauseP95Ms} ms (p95) after the LLM's first segment, over ${s.cachedClauseTurns} turns`,
  ].join('\n');
}
