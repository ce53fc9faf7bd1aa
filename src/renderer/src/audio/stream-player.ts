import { MPEGDecoder } from 'mpg123-decoder';
import type { PipelineEvent } from '../../../shared/pipeline-events';
import { rms } from './lip-sync';

type AudioEvent = Extract<PipelineEvent, { type: 'audio' }>;

export interface FirstSample {
  turnId: string;
  /** From the first chunk's arrival in the page to its first sample at the audio output. */
  afterChunkMs: number;
}

interface Scheduled {
  source: AudioBufferSourceNode;
  segmentIndex: number;
  start: number;
  end: number;
}

/**
 * Plays a turn's streamed MP3 chunks the moment they arrive: each chunk is decoded to PCM
 * (mpg123 in WebAssembly, streaming, so frame boundaries and the bit reservoir are handled) and
 * scheduled back to back on the AudioContext clock, which is sample-accurate and so gap-free.
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
  private scheduled: Scheduled[] = [];
  private nextTime = 0;
  private turnId: string | undefined;
  private reported = false;
  private readonly levelBuffer: Float32Array<ArrayBuffer>;

  constructor(private readonly onFirstSample: (report: FirstSample) => void) {
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
  }

  /** Browsers start an AudioContext suspended until a user gesture (OBS does not). */
  get suspended(): boolean {
    return this.context.state === 'suspended';
  }

  resume(): Promise<void> {
    return this.context.resume();
  }

  /** Sources scheduled and not yet finished. */
  get activeSources(): number {
    return this.scheduled.length;
  }

  /** Loudness (RMS) of what the output is playing right now. */
  level(): number {
    this.analyser.getFloatTimeDomainData(this.levelBuffer);
    return rms(this.levelBuffer);
  }

  /** The segment whose audio is audible now, if any. */
  currentSegment(): number | undefined {
    const now = this.context.currentTime;
    let current: number | undefined;
    for (const s of this.scheduled) if (s.start <= now && s.end > now) current = s.segmentIndex;
    return current;
  }

  play(event: AudioEvent, arrivedAt = performance.now()): void {
    if (event.turnId !== this.turnId) this.startTurn(event.turnId);
    if (this.ready) this.schedule(event, arrivedAt);
    else this.queue = this.queue.then(() => this.decoderReady).then(() => this.schedule(event, arrivedAt));
  }

  /** Interruption: silence now, forget everything queued. */
  stop(): void {
    for (const s of this.scheduled) {
      s.source.onended = null;
      s.source.stop();
      s.source.disconnect();
    }
    this.scheduled = [];
    this.nextTime = 0;
    this.turnId = undefined;
    this.queue = Promise.resolve();
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
  }

  private schedule(event: AudioEvent, arrivedAt: number): void {
    if (event.turnId !== this.turnId) return; // interrupted while waiting for the decoder
    const { channelData, samplesDecoded, sampleRate } = this.decoder.decode(event.data);
    if (samplesDecoded === 0) return;
    const buffer = this.context.createBuffer(1, samplesDecoded, sampleRate);
    buffer.copyToChannel(channelData[0]! as Float32Array<ArrayBuffer>, 0);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.output);
    const start = Math.max(this.nextTime, this.context.currentTime);
    source.start(start);
    this.nextTime = start + buffer.duration;
    const entry: Scheduled = { source, segmentIndex: event.segmentIndex, start, end: this.nextTime };
    this.scheduled.push(entry);
    source.onended = () => {
      this.scheduled = this.scheduled.filter((s) => s !== entry);
      source.disconnect();
    };
    if (!this.reported) {
      this.reported = true;
      this.onFirstSample({ turnId: event.turnId, afterChunkMs: this.outputTimeOf(start) - arrivedAt });
    }
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
