/**
 * Latency benchmark: npm run bench -- [--turns 20] [--json] [--quick]
 *
 * Starts the fake upstreams in their own process with realistic delays (and a slow profile),
 * runs turns in streaming and in traditional mode through the real pipeline, and reports time to
 * first audio against the upstream limit (time to first segment + TTS time to first byte), the
 * speed-up over traditional mode, and the largest silence between segments when playback is
 * simulated in real time. Unless --quick, also runs 1,000 turns to check the heap stays flat.
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
import { AUDIO_MIME } from '../shared/settings';
import { fakeConversation } from './fake-conversation';
import type { ProfileName } from '../fakes/profiles';
import type { FakeUpstreamsInfo } from '../fakes/serve';
import { percentile } from '../shared/stats';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    'memory-turns': { type: 'string', default: '1000' },
  },
});
const TURNS = Math.max(1, Number(values.turns));
const log = values.json ? (...args: unknown[]) => console.error(...args) : console.log;

interface Upstreams {
  llmBaseUrl: string;
  ttsEndpoint: string;
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
  /** Largest silence inside a segment (the TTS fell behind real time). */
  underrun: number;
}

/** Plays the turn's audio in simulated real time: each chunk starts at max(arrival, end of previous). */
class PlaybackSimulator {
  private parser: CodecParser | undefined;
  private playheadEnd = 0;
  private started = false;
  private segment = -1;
  segmentGap = 0;
  underrun = 0;

  constructor(private readonly mime: string) {}

  audio(segmentIndex: number, data: Uint8Array, arrival: number): void {
    const boundary = segmentIndex !== this.segment;
    if (boundary) {
      this.segment = segmentIndex;
      this.parser = new CodecParser(this.mime as 'audio/mpeg');
    }
    const duration = this.durationOf(this.parser!.parseChunk(data));
    if (duration === 0) return;
    if (this.started && arrival > this.playheadEnd) {
      const gap = arrival - this.playheadEnd;
      if (boundary) this.segmentGap = Math.max(this.segmentGap, gap);
      else this.underrun = Math.max(this.underrun, gap);
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
  upstreams: Upstreams,
  streaming: boolean,
  turns: number,
  warmup: number,
): Promise<TurnResult[]> {
  // Traditional turns only need their first audio; the rest would just make the run longer.
  const stopAtFirstAudio = !streaming;
  const conversation = fakeConversation(upstreams, {
    llm: { maxRetries: 0 },
    streaming: { enabled: streaming },
    character: { historyMaxMessages: 0 },
  });
  const format = conversation.currentSettings.tts.outputFormat;
  await new Promise((r) => setTimeout(r, 300)); // let the warm TTS connections open
  const results: TurnResult[] = [];
  for (let i = 0; i < warmup + turns; i++) {
    const playback = new PlaybackSimulator(AUDIO_MIME[format]);
    let end: Extract<PipelineEvent, { type: 'turn-end' }> | undefined;
    const start = performance.now();
    const controller = new AbortController();
    for await (const event of conversation.runTurn(`bench turn ${i}`, { signal: controller.signal })) {
      if (event.type === 'audio' && stopAtFirstAudio && i >= warmup) controller.abort();
      if (event.type === 'audio') playback.audio(event.segmentIndex, event.data, performance.now() - start);
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
      underrun: playback.underrun,
    });
  }
  conversation.close();
  return results;
}

async function profileRun(profile: ProfileName, turns: number) {
  const upstreams = await startUpstreams(profile);
  try {
    const streaming = await runTurns(upstreams, true, turns, 3);
    const traditional = await runTurns(upstreams, false, turns, 3);
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

async function memoryRun(turns: number) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const upstreams = await startUpstreams('instant');
  try {
    const conversation = fakeConversation(upstreams, { character: { historyMaxMessages: 20 } });
    let baseline = 0;
    const checkpoint = Math.min(100, Math.floor(turns / 10));
    for (let i = 0; i < turns; i++) {
      for await (const event of conversation.runTurn(`turn ${i}`)) {
        if (event.type === 'error') throw new Error(event.message);
      }
      if (i + 1 === checkpoint) baseline = heapAfterGc(gc);
    }
    const final = heapAfterGc(gc);
    conversation.close();
    return {
      turns,
      historyMessages: conversation.history.size,
      heapGrowthMb: Math.round(((final - baseline) / 2 ** 20) * 100) / 100,
    };
  } finally {
    stopUpstreams(upstreams);
  }
}

log(
  `Kiyo latency benchmark: ${TURNS} turns per mode (realistic profile), ${Math.max(5, Math.ceil(TURNS / 4))} (slow profile)\n`,
);
const realistic = await profileRun('realistic', TURNS);
const slow = await profileRun('slow', Math.max(5, Math.ceil(TURNS / 4)));
const table = (name: string, s: typeof realistic) =>
  [
    `${name.padEnd(10)} first audio p50 ${s.firstAudioP50Ms} ms, p95 ${s.firstAudioP95Ms} ms`,
    `${''.padEnd(10)} upstream limit p50 ${s.limitP50Ms} ms → pipeline overhead p50 ${s.overheadP50Ms} ms (p95 ${s.overheadP95Ms} ms)`,
    `${''.padEnd(10)} traditional first audio p50 ${s.traditionalFirstAudioP50Ms} ms → speed-up ${s.speedup}×`,
    `${''.padEnd(10)} largest silence between segments ${s.gapsMs} ms, inside a segment ${s.underrunMs} ms`,
  ].join('\n');
log(table('realistic', realistic));
log(table('slow', slow));
const memory = values.quick ? undefined : await memoryRun(Math.max(20, Number(values['memory-turns'])));
if (memory) {
  log(
    `memory     ${memory.turns} turns: heap grew ${memory.heapGrowthMb} MB after the first ${Math.min(100, memory.turns / 10)}; history holds ${memory.historyMessages} messages`,
  );
}
const targets = [
  ['overhead p50 ≤ 10 ms', realistic.overheadP50Ms <= 10],
  ['speed-up ≥ 5×', realistic.speedup >= 5],
  ['gaps ≤ 20 ms', realistic.gapsMs <= 20],
  ...(memory ? [['heap growth ≤ 5 MB over 1,000 turns', memory.heapGrowthMb <= 5] as const] : []),
] as const;
log(`\ntargets: ${targets.map(([name, ok]) => `${ok ? '✓' : '✗'} ${name}`).join('   ')}`);
if (values.json) console.log(JSON.stringify({ ...realistic, slowProfile: slow, ...(memory && { memory }) }));
process.exit(0);
