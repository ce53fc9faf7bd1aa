/**
 * Latency benchmark: npm run bench -- [--turns 20] [--json] [--quick | --memory-only | --phrases-only]
 *   [--memory-warmup 200] [--memory-turns 1000] [--tts edge|openai]
 *
 * Starts the fake upstreams in their own process with realistic delays (and a slow profile),
 * runs turns in streaming and in traditional mode through the real pipeline, and reports time to
 * first audio against the upstream limit (time to first segment + TTS time to first byte), the
 * speed-up over traditional mode, and the largest silence between segments when playback is
 * simulated in real time. The realistic profile is marked against the product's targets, the slow
 * one against what its own upstream timings allow (bench-expectations.ts). Unless --quick, also
 * measures the heap: a baseline after a warm-up, then its growth per 1,000 further turns. First,
 * where the first clause is cut in 63 en/zh/ja replies (first-cut-bench.ts; alone: npm run
 * bench:first-cut).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import CodecParser from 'codec-parser';
import type { PipelineEvent } from '../shared/pipeline-events';
import type { StreamAudioFormat } from '../shared/audio-format';
import { audioFormatOf } from '../shared/tts-providers/catalog';
import {
  describeProfile,
  formatMarks,
  GAPS_MS,
  marksFor,
  type BenchVoice,
  OVERHEAD_P50_MS,
  REALISTIC_SPEEDUP,
  speechOf,
} from './bench-expectations';
import { fakeConversation } from './fake-conversation';
import { firstCutMarks, formatFirstCut, runFirstCutBench } from './first-cut-bench';
import { formatPhraseBench, phraseBench, phraseMarks, type PhraseBenchSummary } from './phrase-bench';
import { growthMbPer1000Turns, type HeapSample } from './heap-growth';
import type { ProfileName } from '../fakes/profiles';
import type { FakeUpstreamsInfo } from '../fakes/serve';
import { percentile } from '../shared/stats';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    'memory-only': { type: 'boolean', default: false },
    /** Only the instant first sound and the phrase cache (phrase-bench.ts). */
    'phrases-only': { type: 'boolean', default: false },
    'memory-warmup': { type: 'string', default: '200' },
    'memory-turns': { type: 'string', default: '1000' },
    /** Which fake voice service the turns are spoken by: the Edge one or the OpenAI-compatible one. */
    tts: { type: 'string', default: 'edge' },
  },
});
const BENCH_VOICES: readonly BenchVoice[] = ['edge', 'openai'];
if (!BENCH_VOICES.includes(values.tts as BenchVoice)) {
  console.error(`--tts must be one of ${BENCH_VOICES.join(', ')} (got "${values.tts}")`);
  process.exit(2);
}
const VOICE = values.tts as BenchVoice;
const TURNS = Math.max(1, Number(values.turns));
const log = values.json ? (...args: unknown[]) => console.error(...args) : console.log;

interface Upstreams {
  llmBaseUrl: string;
  ttsEndpoint: string;
  speechBaseUrl: string;
  child: ChildProcess;
}

const stopping = new WeakSet<ChildProcess>();

function stopUpstreams(upstreams: Upstreams): void {
  stopping.add(upstreams.child);
  upstreams.child.kill('SIGTERM');
}

async function startUpstreams(profile: ProfileName): Promise<Upstreams> {
  const serve = fileURLToPath(new URL('../fakes/serve.ts', import.meta.url));
  // The IPC channel ties the fakes to this process: they stop if the benchmark dies.
  const child = spawn(process.execPath, ['--import', 'tsx', serve, '--profile', profile], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.once('exit', (code, signal) => {
    if (!stopping.has(child)) {
      console.error(`the fake upstreams exited unexpectedly (code ${code}, signal ${signal})`);
    }
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { ...(JSON.parse(line) as FakeUpstreamsInfo), child };
}

interface TurnResult {
  firstAudio: number;
  limit: number;
  overhead: number;
  /** Largest silence at a segment boundary, playing audio in real time from its arrival. */
  segmentGap: number;
  /**
   * Largest part of such a silence that the pipeline added: the silence minus what the upstreams
   * force (the segment's text was complete only so late, and the TTS needs its first-byte time).
   */
  segmentGapExcess: number;
  /** Largest silence inside a segment (the TTS fell behind real time). */
  underrun: number;
}

/** Plays the turn's audio in simulated real time: each chunk starts at max(arrival, end of previous). */
class PlaybackSimulator {
  private parser: CodecParser | undefined;
  /** Bytes of one millisecond, for PCM (whose duration is its length at the declared rate). */
  private readonly pcmBytesPerMs: number | undefined;
  private playheadEnd = 0;
  private started = false;
  private segment = -1;
  /** When each segment's text was complete (its `segment` event). */
  private readonly ready = new Map<number, number>();
  segmentGap = 0;
  segmentGapExcess = 0;
  underrun = 0;

  constructor(
    format: StreamAudioFormat,
    /** The fake speech service's time to first byte in this profile. */
    private readonly ttfbMs: number,
  ) {
    this.pcmBytesPerMs = format.codec === 'pcm' ? (format.sampleRate * 2) / 1000 : undefined;
  }

  segmentReady(index: number, at: number): void {
    this.ready.set(index, at);
  }

  audio(segmentIndex: number, data: Uint8Array, arrival: number): void {
    const boundary = segmentIndex !== this.segment;
    if (boundary) {
      this.segment = segmentIndex;
      if (this.pcmBytesPerMs === undefined) this.parser = new CodecParser('audio/mpeg');
    }
    const duration =
      this.pcmBytesPerMs !== undefined
        ? data.byteLength / this.pcmBytesPerMs
        : this.durationOf(this.parser!.parseChunk(data));
    if (duration === 0) return;
    if (this.started && arrival > this.playheadEnd) {
      const gap = arrival - this.playheadEnd;
      if (boundary) {
        this.segmentGap = Math.max(this.segmentGap, gap);
        const earliest = (this.ready.get(segmentIndex) ?? arrival) + this.ttfbMs;
        const forced = Math.max(0, earliest - this.playheadEnd);
        this.segmentGapExcess = Math.max(this.segmentGapExcess, gap - forced);
      } else this.underrun = Math.max(this.underrun, gap);
    }
    this.started = true;
    this.playheadEnd = Math.max(arrival, this.playheadEnd) + duration;
  }

  /** The parser holds back a segment's last frame until it sees the next header. */
  segmentEnd(): void {
    if (this.parser) this.playheadEnd += this.durationOf(this.parser.flush());
  }

  private durationOf(frames: Iterator<{ duration: number }> | Iterable<{ duration: number }>): number {
    let ms = 0;
    for (const frame of frames as Iterable<{ duration: number }>) ms += frame.duration;
    return ms;
  }
}

async function runTurns(
  profile: ProfileName,
  upstreams: Upstreams,
  streaming: boolean,
  turns: number,
  warmup: number,
): Promise<TurnResult[]> {
  // Traditional turns only need their first audio; the rest would just make the run longer.
  const stopAtFirstAudio = !streaming;
  const conversation = fakeConversation(
    upstreams,
    {
      llm: { maxRetries: 0 },
      streaming: { enabled: streaming },
      character: { historyMaxMessages: 0 },
    },
    VOICE,
  );
  const { tts } = conversation.currentSettings;
  const format = audioFormatOf(tts.provider, tts.providers);
  await new Promise((r) => setTimeout(r, 300)); // let the warm TTS connections open
  const results: TurnResult[] = [];
  for (let i = 0; i < warmup + turns; i++) {
    const playback = new PlaybackSimulator(format, speechOf(profile, VOICE).ttfbMs);
    let end: Extract<PipelineEvent, { type: 'turn-end' }> | undefined;
    const start = performance.now();
    const controller = new AbortController();
    for await (const event of conversation.runTurn(`bench turn ${i}`, { signal: controller.signal })) {
      if (event.type === 'audio' && stopAtFirstAudio && i >= warmup) controller.abort();
      if (event.type === 'audio') playback.audio(event.segmentIndex, event.data, performance.now() - start);
      if (event.type === 'segment') playback.segmentReady(event.index, performance.now() - start);
      if (event.type === 'segment-end') playback.segmentEnd();
      if (event.type === 'error') throw new Error(`bench turn failed: ${event.message}`);
      if (event.type === 'turn-end') end = event;
    }
    if (i < warmup) continue; // the fake encodes each reply's speech once; later turns hit its cache
    const l = end!.latency;
    const limit = l.firstSegment! + (l.ttsFirstByte! - l.ttsFirstRequestSent!);
    results.push({
      firstAudio: l.firstAudio!,
      limit,
      overhead: l.firstAudio! - limit,
      segmentGap: playback.segmentGap,
      segmentGapExcess: playback.segmentGapExcess,
      underrun: playback.underrun,
    });
  }
  conversation.close();
  return results;
}

async function profileRun(profile: ProfileName, turns: number) {
  const upstreams = await startUpstreams(profile);
  try {
    const streaming = await runTurns(profile, upstreams, true, turns, 3);
    const traditional = await runTurns(profile, upstreams, false, turns, 3);
    const column = (rows: TurnResult[], key: keyof TurnResult) => rows.map((r) => r[key]);
    const summary = {
      firstAudioP50Ms: percentile(column(streaming, 'firstAudio'), 50),
      firstAudioP95Ms: percentile(column(streaming, 'firstAudio'), 95),
      limitP50Ms: percentile(column(streaming, 'limit'), 50),
      overheadP50Ms: percentile(column(streaming, 'overhead'), 50),
      overheadP95Ms: percentile(column(streaming, 'overhead'), 95),
      traditionalFirstAudioP50Ms: percentile(column(traditional, 'firstAudio'), 50),
      speedup: 0,
      gapsMs: Math.round(Math.max(...column(streaming, 'segmentGap')) * 10) / 10,
      gapExcessMs: Math.round(Math.max(...column(streaming, 'segmentGapExcess')) * 10) / 10,
      underrunMs: Math.round(Math.max(...column(streaming, 'underrun')) * 10) / 10,
    };
    summary.speedup = Math.round((summary.traditionalFirstAudioP50Ms / summary.firstAudioP50Ms) * 100) / 100;
    return summary;
  } finally {
    stopUpstreams(upstreams);
  }
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap growth per 1,000 turns at most, after the warm-up; beyond it something grows per turn. */
const HEAP_GROWTH_MB_PER_1000 = 1;
/** Turns between heap readings; each reading is a full GC, also during the warm-up. */
const SAMPLE_EVERY = 50;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;

/**
 * The heap over many fast turns. The warm-up fills what is allocated once: JIT code, the fake's
 * speech cache, fetch's resource-timing buffer (250 entries), and codec-parser's frame tables (module-wide
 * WeakMaps every parsed MP3 frame passes through; V8 keeps a WeakMap's table at the size its
 * busiest stretch needed, so it grows in steps early on and then stays). The figure that matters
 * is the slope after it: a leak grows with every turn.
 */
async function memoryRun(warmup: number, turns: number) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const upstreams = await startUpstreams('instant');
  try {
    // Instant upstreams answer every clause at once; the fake encodes each new text only once.
    const conversation = fakeConversation(upstreams, { character: { historyMaxMessages: 20 } }, VOICE);
    const start = heapAfterGc(gc);
    const samples: HeapSample[] = [];
    for (let i = 1; i <= warmup + turns; i++) {
      for await (const event of conversation.runTurn(`turn ${i}`)) {
        if (event.type === 'error') throw new Error(event.message);
      }
      if (i >= warmup && (i - warmup) % SAMPLE_EVERY === 0)
        samples.push({ turn: i, heapUsedBytes: heapAfterGc(gc) });
      else if (i % SAMPLE_EVERY === 0) heapAfterGc(gc); // the same GC rhythm before and after the baseline
    }
    conversation.close();
    return {
      warmupTurns: warmup,
      turns,
      startMb: mb(start),
      baselineMb: mb(samples[0]!.heapUsedBytes),
      endMb: mb(samples.at(-1)!.heapUsedBytes),
      growthMbPer1000Turns: Math.round(growthMbPer1000Turns(samples) * 100) / 100,
      historyMessages: conversation.history.size,
    };
  } finally {
    stopUpstreams(upstreams);
  }
}

const memoryOnly = values['memory-only'];
const phrasesOnly = values['phrases-only'];
const withMemory = (memoryOnly || !values.quick) && !phrasesOnly;
const slowTurns = Math.max(5, Math.ceil(TURNS / 4));
type Summary = Awaited<ReturnType<typeof profileRun>>;
let realistic: Summary | undefined;
let slow: Summary | undefined;
let firstCut: ReturnType<typeof runFirstCutBench> | undefined;
if (!memoryOnly && !phrasesOnly) {
  log(
    `Kiyo latency benchmark: ${TURNS} turns per mode (realistic profile), ${slowTurns} (slow profile), spoken by the fake ${VOICE === 'edge' ? 'Edge' : 'OpenAI-compatible'} speech service\n`,
  );
  // Where and when the first clause is cut: a simulated clock, so it takes milliseconds.
  firstCut = runFirstCutBench();
  log(`${formatFirstCut(firstCut)}\n`);
  realistic = await profileRun('realistic', TURNS);
  slow = await profileRun('slow', slowTurns);
  const table = (name: string, s: Summary) =>
    [
      `${name.padEnd(10)} first audio p50 ${s.firstAudioP50Ms} ms, p95 ${s.firstAudioP95Ms} ms`,
      `${''.padEnd(10)} upstream limit p50 ${s.limitP50Ms} ms → pipeline overhead p50 ${s.overheadP50Ms} ms (p95 ${s.overheadP95Ms} ms)`,
      `${''.padEnd(10)} traditional first audio p50 ${s.traditionalFirstAudioP50Ms} ms → speed-up ${s.speedup}×`,
      `${''.padEnd(10)} largest silence between segments ${s.gapsMs} ms (of it added by the pipeline: ${s.gapExcessMs} ms), inside a segment ${s.underrunMs} ms`,
    ].join('\n');
  log(table('realistic', realistic));
  log(table('slow', slow));
}
// The filler's length is read from its MP3 frames: measured with the Edge voice.
let phrases: PhraseBenchSummary | undefined;
if (!memoryOnly && VOICE === 'edge') {
  const upstreams = await startUpstreams('realistic');
  try {
    phrases = await phraseBench(upstreams, TURNS);
  } finally {
    stopUpstreams(upstreams);
  }
  log(formatPhraseBench(phrases));
}
const memory = withMemory
  ? await memoryRun(
      Math.max(SAMPLE_EVERY, Number(values['memory-warmup'])),
      Math.max(2 * SAMPLE_EVERY, Number(values['memory-turns'])),
    )
  : undefined;
if (memory) {
  log(
    `memory     warm-up ${memory.warmupTurns} turns: heap ${memory.startMb} → ${memory.baselineMb} MB (allocated once)\n` +
      `${''.padEnd(10)} then ${memory.turns} turns: ${memory.baselineMb} → ${memory.endMb} MB, growth ${memory.growthMbPer1000Turns} MB per 1,000 turns (slope of a reading every ${SAMPLE_EVERY} turns); history holds ${memory.historyMessages} messages`,
  );
}
const realisticMarks = [
  ...(realistic ? marksFor('realistic', realistic, VOICE) : []),
  ...(firstCut ? firstCutMarks(firstCut) : []),
  ...(memory
    ? [
        [
          `heap growth ≤ ${HEAP_GROWTH_MB_PER_1000} MB per 1,000 turns after warm-up`,
          memory.growthMbPer1000Turns <= HEAP_GROWTH_MB_PER_1000,
        ] as const,
      ]
    : []),
];
const slowMarks = slow ? marksFor('slow', slow, VOICE) : [];
const phraseTargets = phrases ? phraseMarks(phrases) : [];
if (!phrasesOnly) log(`\ntargets (realistic profile, memory): ${formatMarks(realisticMarks)}`);
if (phrases) log(`instant first sound and phrase cache (realistic profile): ${formatMarks(phraseTargets)}`);
if (slow)
  log(
    `slow profile, against what its upstreams allow (${describeProfile('slow', VOICE)}): ${formatMarks(slowMarks)}`,
  );
if (values.json) {
  console.log(
    JSON.stringify({
      ...realistic,
      ...(slow && { slowProfile: slow }),
      ...(firstCut && { firstCut: { ...firstCut, rows: undefined } }),
      ...(memory && { memory }),
      ...(phrases && { phrases }),
      targets: {
        realistic: { overheadP50Ms: OVERHEAD_P50_MS, speedup: REALISTIC_SPEEDUP, gapsMs: GAPS_MS },
        heapGrowthMbPer1000Turns: HEAP_GROWTH_MB_PER_1000,
        marks: Object.fromEntries([
          ...realisticMarks,
          ...slowMarks.map(([n, ok]) => [`slow: ${n}`, ok] as const),
          ...phraseTargets.map(([n, ok]) => [`phrases: ${n}`, ok] as const),
        ]),
      },
    }),
  );
}
process.exit(0);
