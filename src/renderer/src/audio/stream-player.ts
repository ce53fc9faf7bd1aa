import { MPEGDecoder } from 'mpg123-decoder';
import { FILLER_SEGMENT, type PipelineEvent } from '../../../shared/pipeline-events';
import { rms } from './lip-sync';
import { OutputRest } from './output-rest';
import { SourceWindow, type TimedChunk } from './source-window';

type AudioEvent = Extract<PipelineEvent, { type: 'audio' }>;

export interface Interrupted {
  turnId: string;
  /** Segments at least partly heard. */
  segmentsHeard: number;
}

export interface PlayerEvents {
  onFirstSample(report: FirstSample): void;
  /** Stopped while audio was still playing or queued. */
  onInterrupted(report: Interrupted): void;
  /** The turn has ended and every one of its sources played to its end (once per turn). */
  onFinished(report: { turnId: string }): void;
}

export interface FirstSample {
  turnId: string;
  /** From the first chunk's arrival in the page to its first sample at the audio output. */
  afterChunkMs: number;
}

/** A decoded chunk of the current turn; its source exists only once the window started it. */
interface Chunk {
  buffer: AudioBuffer;
  segmentIndex: number;
  /** Its segment's first chunk: where it really starts is where the segment's words count from. */
  firstOfSegment: boolean;
  source?: AudioBufferSourceNode;
}
type Scheduled = TimedChunk<Chunk>;

/**
 * Plays a turn's streamed audio chunks the moment they arrive, in the format each event declares.
 * Each MP3 chunk is decoded to PCM
 * (mpg123 in WebAssembly, streaming, so frame boundaries and the bit reservoir are handled) and
 * scheduled back to back on the AudioContext clock, which is sample-accurate and so gap-free.
 * Only the next couple of seconds are handed to Web Audio at a time (source-window.ts): every
 * source scheduled in the future costs the audio thread on every render quantum.
 * Chosen over MediaSource + <audio>, whose element buffering adds a few hundred milliseconds.
 */
export class StreamPlayer {
  readonly context: AudioContext;
  readonly analyser: AnalyserNode;
  private readonly output: GainNode;
  private decoder = new MPEGDecoder();
  private decoderReady: Promise<void>;
  private ready = false;
  private queue: Promise<void> = Promise.resolve();
  /** The turn's chunks playing or waiting for their turn, and where each plays. */
  private readonly scheduled: SourceWindow<Chunk>;
  private turnId: string | undefined;
  private reported = false;
  /** main's `turn-end` for the current turn arrived: no more audio will come. */
  private turnEnded = false;
  private finishReported = false;
  /** Seconds of audio scheduled in this turn, at the rates the events declared. */
  private turnSeconds = 0;
  /** Highest segment index whose audio finished playing in this turn. */
  private finishedSegment = -1;
  /** AudioContext time of each segment's first sample in this turn (word timing counts from it). */
  private readonly segmentStarts = new Map<number, number>();
  /** Turns stopped by an interruption: their chunks still in flight must stay silent. */
  private readonly silenced: string[] = [];
  private readonly levelBuffer: Float32Array<ArrayBuffer>;
  /** Suspends the output after a while of silence, wakes it for the next turn (output-rest.ts). */
  private readonly rest: OutputRest;

  constructor(
    private readonly events: PlayerEvents,
    options: { restAfterMs?: number } = {},
  ) {
    // 0 asks for the smallest output buffer the device allows ('interactive' may pick a larger one).
    this.context = new AudioContext({ latencyHint: 0 });
    this.output = this.context.createGain();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 512;
    this.levelBuffer = new Float32Array(this.analyser.fftSize);
    this.output.connect(this.analyser);
    this.analyser.connect(this.context.destination);
    this.decoderReady = this.decoder.ready.then(() => {
      this.ready = true;
    });
    this.rest = new OutputRest(this.context, options.restAfterMs);
    this.scheduled = new SourceWindow(this.context, (chunk) => this.startSource(chunk));
    this.rest.idle();
  }

  /**
   * Browsers start an AudioContext suspended until a user gesture (OBS does not). Not while the
   * output only rests in a silence: the next turn wakes it without a click.
   */
  get suspended(): boolean {
    return this.context.state === 'suspended' && !this.rest.resting;
  }

  /** Whether the output is resting in a long silence, and how often it rested and woke. */
  get outputRest(): { resting: boolean; rests: number; wakes: number } {
    return { resting: this.rest.resting, ...this.rest.counts };
  }

  /**
   * Keeps the output running whatever plays, while `on` (the ear's microphone is open: the audio
   * thread runs for the capture anyway, and suspending the output then disturbed the capture).
   */
  keepAwake(on: boolean): void {
    this.rest.hold(on);
  }

  /**
   * A turn has started: its audio will follow. Wakes a resting output now, so resuming it is over
   * long before the first chunk (which the LLM and the voice take hundreds of milliseconds to make).
   */
  expectTurn(): void {
    this.rest.wake();
  }

  /** The page is going away: silence, no rest timer left behind, the audio context closed. */
  close(): Promise<void> {
    this.stop();
    this.rest.stop();
    return this.context.close();
  }

  resume(): Promise<void> {
    return this.context.resume();
  }

  /** Seconds of audio scheduled for the current turn (what the speakers will play in all). */
  get scheduledSeconds(): number {
    return this.turnSeconds;
  }

  /** Chunks playing or waiting to (a turn's silence ends only when none are left). */
  get activeSources(): number {
    return this.scheduled.size;
  }

  /** Loudness (RMS) of what the output is playing right now. */
  level(): number {
    this.analyser.getFloatTimeDomainData(this.levelBuffer);
    return rms(this.levelBuffer);
  }

  /** The turn whose audio is playing or scheduled, if any. */
  get currentTurn(): string | undefined {
    return this.turnId;
  }

  /** AudioContext time at which segment `index` of the current turn starts (its first sample). */
  segmentStart(index: number): number | undefined {
    return this.segmentStarts.get(index);
  }

  /** The segment whose audio is audible now, if any. */
  currentSegment(): number | undefined {
    const now = this.context.currentTime;
    let current: number | undefined;
    for (const s of this.scheduled.started)
      if (s.start <= now && s.start + s.duration > now) current = s.item.segmentIndex;
    return current;
  }

  play(event: AudioEvent, arrivedAt = performance.now()): void {
    if (this.silenced.includes(event.turnId)) return;
    this.rest.wake();
    if (event.turnId !== this.turnId) this.startTurn(event.turnId);
    // Raw PCM needs no decoder; MP3 waits for it only until it has loaded once.
    if (this.ready || event.format.codec === 'pcm') this.schedule(event, arrivedAt);
    else this.queue = this.queue.then(() => this.decoderReady).then(() => this.schedule(event, arrivedAt));
  }

  /**
   * The turn's `turn-end` arrived: once the audio still being decoded is scheduled and the last
   * source has ended, the turn is reported finished (at once if nothing is left to play). Not for
   * a turn this player is not playing (interrupted, or never any audio).
   */
  endTurn(turnId: string): void {
    if (turnId !== this.turnId) {
      // A turn without audio here (failed, or stopped before any came): nothing left to play.
      if (this.scheduled.size === 0) this.rest.idle();
      return;
    }
    this.turnEnded = true;
    // Behind any MP3 chunks still waiting for the decoder.
    this.queue = this.queue.then(() => this.reportIfFinished(turnId));
  }

  /** Interruption: silence now, forget everything queued, ignore the rest of this turn's audio. */
  stop(): void {
    if (this.turnId !== undefined) {
      this.silenced.push(this.turnId);
      if (this.silenced.length > 8) this.silenced.shift();
    }
    if (this.turnId !== undefined && this.scheduled.size > 0) {
      const now = this.context.currentTime;
      const started = this.scheduled.started.filter((s) => s.start <= now).map((s) => s.item.segmentIndex);
      this.events.onInterrupted({
        turnId: this.turnId,
        segmentsHeard: Math.max(this.finishedSegment, ...started) + 1,
      });
    }
    // Chunks still waiting never reached Web Audio: clearing the window drops them.
    for (const { item } of this.scheduled.clear()) {
      if (!item.source) continue;
      item.source.onended = null;
      item.source.stop();
      item.source.disconnect();
    }
    this.turnId = undefined;
    this.queue = Promise.resolve();
    this.rest.idle();
    // A fresh decoder: the old one may hold half a frame of the interrupted stream.
    this.decoder.free();
    this.decoder = new MPEGDecoder();
    this.ready = false;
    this.decoderReady = this.decoder.ready.then(() => {
      this.ready = true;
    });
  }

  private startTurn(turnId: string): void {
    if (this.turnId !== undefined) this.stop();
    this.turnId = turnId;
    this.reported = false;
    this.turnEnded = false;
    this.finishReported = false;
    this.finishedSegment = -1;
    this.turnSeconds = 0;
    this.segmentStarts.clear();
  }

  private schedule(event: AudioEvent, arrivedAt: number): void {
    if (event.turnId !== this.turnId) return; // interrupted while waiting for the decoder
    // PCM plays at the rate its engine declared with it; MP3 frames carry their own.
    const { samples, sampleRate } =
      event.format.codec === 'pcm'
        ? pcmToFloat(event.data, event.format.sampleRate)
        : this.decodeMp3(event.data);
    if (samples.length === 0) return;
    const buffer = this.context.createBuffer(1, samples.length, sampleRate);
    buffer.copyToChannel(samples, 0);
    const firstOfSegment = !this.segmentStarts.has(event.segmentIndex);
    // Planned right after the chunk before it, and started now if within the window (a turn's
    // first chunk always is, in this same call).
    const { start } = this.scheduled.add(
      { buffer, segmentIndex: event.segmentIndex, firstOfSegment },
      buffer.duration,
    );
    this.turnSeconds += buffer.duration;
    if (firstOfSegment) this.segmentStarts.set(event.segmentIndex, start);
    // The acknowledgement filler is queued like the reply (which then starts right after it) but
    // is not the reply's first sample: that stays the reply's own.
    if (!this.reported && event.segmentIndex !== FILLER_SEGMENT) {
      this.reported = true;
      const report = () =>
        this.events.onFirstSample({
          turnId: event.turnId,
          afterChunkMs: this.outputTimeOf(start) - arrivedAt,
        });
      // Still waking from a rest: the chunk plays once the output runs again, and that wait is
      // part of its time to the first sample (read from the output clock once it runs).
      if (this.context.state === 'running') report();
      else void this.rest.awake.then(report);
    }
  }

  /** Hands a chunk to Web Audio at the time the window gives it (its planned one unless late). */
  private startSource(chunk: Scheduled): void {
    const { item } = chunk;
    const turnId = this.turnId;
    const source = this.context.createBufferSource();
    source.buffer = item.buffer;
    source.connect(this.output);
    source.start(chunk.start);
    item.source = source;
    // Late (moved by a blocked main thread): its words count from where it really starts.
    if (item.firstOfSegment) this.segmentStarts.set(item.segmentIndex, chunk.start);
    source.onended = () => {
      source.disconnect();
      this.finishedSegment = Math.max(this.finishedSegment, item.segmentIndex);
      // Moves the window on (starting the next chunks) before asking whether anything is left.
      this.scheduled.ended(chunk);
      if (turnId !== undefined) this.reportIfFinished(turnId);
    };
  }

  /** After the turn's end, when its last source has ended: Kiyo is silent (stop() clears `onended`). */
  private reportIfFinished(turnId: string): void {
    if (turnId !== this.turnId || !this.turnEnded || this.finishReported || this.scheduled.size > 0) return;
    this.finishReported = true;
    this.events.onFinished({ turnId });
    this.rest.idle();
  }

  private decodeMp3(data: Uint8Array): { samples: Float32Array<ArrayBuffer>; sampleRate: number } {
    const { channelData, samplesDecoded, sampleRate } = this.decoder.decode(data);
    const samples = (channelData[0] ?? new Float32Array(0)) as Float32Array<ArrayBuffer>;
    return {
      samples: samplesDecoded === samples.length ? samples : samples.subarray(0, samplesDecoded),
      sampleRate,
    };
  }

  /** performance.now() at which context time `t` reaches the speakers. */
  private outputTimeOf(t: number): number {
    const stamp = this.context.getOutputTimestamp();
    if (stamp.performanceTime && stamp.contextTime !== undefined && stamp.performanceTime > 0) {
      return stamp.performanceTime + (t - stamp.contextTime) * 1000;
    }
    const latency = this.context.outputLatency || this.context.baseLatency || 0;
    return performance.now() + (t - this.context.currentTime + latency) * 1000;
  }
}

/** 16-bit little-endian mono PCM (an odd trailing byte cannot be a sample and is dropped). */
export function pcmToFloat(
  data: Uint8Array,
  sampleRate: number,
): { samples: Float32Array<ArrayBuffer>; sampleRate: number } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const samples = new Float32Array(data.byteLength >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
  return { samples, sampleRate };
}
