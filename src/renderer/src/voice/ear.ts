import type { KiyoBridge } from '../../../shared/ipc';
import type { PipelineEvent } from '../../../shared/pipeline-events';
import {
  UTTERANCE_MAX_SECONDS,
  UTTERANCE_SAMPLE_RATE,
  voiceInputSchema,
  type EarState,
  type VoiceInputSettings,
  type VoiceStatus,
} from '../../../shared/voice-input';
import { BargeInGate, type BargeInOptions } from './barge-in-gate';
import { listMicrophones, MIC_MESSAGES, MicProblem, openMicrophone, type MicCapture } from './mic-capture';
import { UtteranceSegmenter, type SegmenterOptions, type Utterance } from './utterance-segmenter';
import { FrameTimeLog, type FrameTimes, type UtteranceSteps } from './utterance-steps';
import { startVadWorker, type VadWorker } from './vad-client';
import { FRAME_MS } from './vad-frame';
import type { ScoredFrame } from './vad-worker-messages';
import { encodeWav } from './wav-encoder';

/** What the overlay shows of the ear. */
export interface EarView {
  state: EarState;
  /** A plain sentence when the microphone cannot be used; '' otherwise. */
  problem: string;
  /** The last utterance's transcription failed: it can be sent again. */
  canRetry: boolean;
  /** What the user said in the current voice turn, as transcribed ('' otherwise). */
  heard: string;
}

/** What the ear needs of the player: whether Kiyo is audible, and how to silence her at once. */
export interface EarPlayer {
  readonly activeSources: number;
  /** Loudness (RMS) of what Kiyo's output plays right now. */
  level(): number;
  stop(): void;
  /**
   * While the microphone is open the audio output must not rest (output-rest.ts): suspending and
   * resuming one of the page's audio contexts made the capture drop whole seconds of audio.
   */
  keepAwake(on: boolean): void;
}

/** The desktop bridge, with the ear's methods present. */
export type EarBridge = Pick<KiyoBridge, 'cancel' | 'onEvent'> &
  Required<
    Pick<
      KiyoBridge,
      'sendUtterance' | 'retryUtterance' | 'onVoiceInput' | 'onPushToTalk' | 'reportVoiceStatus'
    >
  >;

export function hasEar(bridge: KiyoBridge): bridge is KiyoBridge & EarBridge {
  return (
    bridge.kind === 'desktop' &&
    typeof bridge.sendUtterance === 'function' &&
    typeof bridge.retryUtterance === 'function' &&
    typeof bridge.onVoiceInput === 'function' &&
    typeof bridge.onPushToTalk === 'function' &&
    typeof bridge.reportVoiceStatus === 'function'
  );
}

/** How often Preferences' level meter hears from the ear while the microphone is open. */
const STATUS_EVERY_MS = 200;
/** Kiyo counts as audible this long after her last sound stopped: the room's echo and the output's delay. */
const ECHO_TAIL_MS = 250;
/** Frames of Kiyo's output level kept for the double-talk test (16 × 32 ms: half a second). */
const FAR_END_FRAMES = 16;

/** Numbers for tests and debugging (`__kiyoEar` in the devtools console); nothing here steers the ear. */
export interface EarDebug {
  frames: number;
  /** Time spent in the detector (in its worker), ms, over all frames (its cost per frame: / frames). */
  detectorMs: number;
  maxProbability: number;
  /** Loudest frame (RMS) heard since the microphone opened. */
  maxLevel: number;
  /** Loudest output level of Kiyo's (RMS) seen by the double-talk test. */
  maxFarEnd: number;
  sent: { speechMs: number; sinceSpeechEndMs: number; bytes: number; steps?: UtteranceSteps }[];
  interruptions: number;
  /**
   * When the open microphone's frames were handed to the detector's worker (page clock), and when
   * the first of them reached the worker (stamped there, put on the page's clock): causality
   * says the second is later, whatever either clock reads.
   */
  listenedAt: number;
  firstArrivedAt: number;
  /**
   * Audio the capture path has lost since the microphone opened (capture-clock.ts), ms: when
   * above a few ms, the audio thread dropped buffers and the capture stamps re-anchored.
   */
  captureLostMs: number;
  /** Utterances heard while Kiyo played that never qualified as the user's (echo). */
  dropped: number;
  misfires: number;
}

/**
 * The ear of the desktop overlay: microphone → Silero VAD → utterances sent to main the moment
 * speech ends; barge-in by voice; the state the overlay shows; the status Preferences shows.
 * Settings come from main (onVoiceInput); until they do, it stays muted.
 */
export class Ear {
  readonly debug: EarDebug = {
    frames: 0,
    detectorMs: 0,
    maxProbability: 0,
    maxLevel: 0,
    maxFarEnd: 0,
    sent: [],
    interruptions: 0,
    listenedAt: 0,
    firstArrivedAt: 0,
    captureLostMs: 0,
    dropped: 0,
    misfires: 0,
  };
  private settings: VoiceInputSettings = voiceInputSchema.parse({});
  private readonly segmenter = new UtteranceSegmenter(this.segmenterOptions());
  private readonly gate = new BargeInGate(this.gateOptions());
  private detector: Promise<VadWorker> | undefined;
  private mic: MicCapture | undefined;
  /** Stops the detector hearing the open microphone. */
  private unlisten: (() => void) | undefined;
  /** Bumped on every open/close, so a late frame or a late open of an old microphone is ignored. */
  private generation = 0;
  private held = false;
  private thinking = false;
  private voiceTurn: string | undefined;
  private problem = '';
  private canRetry = false;
  private heard = '';
  private level = 0;
  private devices: VoiceStatus['devices'] = [];
  private lastAudibleAt = -Infinity;
  private readonly farEnd: number[] = [];
  /** Frame times as far back as the longest hangover, to time the last voiced frame's steps. */
  private readonly frameTimes = new FrameTimeLog(Math.ceil(3000 / FRAME_MS) + 2);
  private lastView = '';
  private readonly offs: (() => void)[] = [];
  private statusTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly bridge: EarBridge,
    private readonly player: EarPlayer,
    private readonly onView: (view: EarView) => void,
  ) {}

  start(): void {
    this.offs.push(
      this.bridge.onVoiceInput((settings) => {
        const parsed = voiceInputSchema.safeParse(settings);
        if (parsed.success) this.apply(parsed.data);
      }),
      this.bridge.onPushToTalk((down) => this.pushToTalk(down)),
      this.bridge.onEvent((event) => this.onPipelineEvent(event)),
    );
    const onDevices = () => void this.refreshDevices();
    navigator.mediaDevices?.addEventListener?.('devicechange', onDevices);
    this.offs.push(() => navigator.mediaDevices?.removeEventListener?.('devicechange', onDevices));
    void this.refreshDevices();
    this.publish(true);
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    void this.closeMic();
    void this.detector?.then((d) => d.release()).catch(() => {});
    this.detector = undefined;
  }

  /** The Retry button: transcribe the failed utterance again. */
  retry(): void {
    if (!this.canRetry) return;
    this.canRetry = false;
    this.thinking = true;
    this.bridge.retryUtterance();
    this.publish(true);
  }

  private segmenterOptions(): SegmenterOptions {
    const s = this.settings;
    return {
      frameMs: FRAME_MS,
      speechThreshold: s.speechThreshold,
      minSpeechMs: s.minSpeechMs,
      endSilenceMs: s.endSilenceMs,
      preRollMs: s.preRollMs,
      maxUtteranceMs: UTTERANCE_MAX_SECONDS * 1000 - FRAME_MS,
    };
  }

  private gateOptions(): BargeInOptions {
    const s = this.settings;
    return {
      bargeIn: s.bargeIn,
      bargeInMinSpeechMs: s.bargeInMinSpeechMs,
      minSpeechMs: s.minSpeechMs,
      speechThreshold: s.speechThreshold,
      frameMs: FRAME_MS,
    };
  }

  private apply(next: VoiceInputSettings): void {
    const previous = this.settings;
    this.settings = next;
    this.segmenter.setOptions(this.segmenterOptions());
    this.gate.setOptions(this.gateOptions());
    if (next.mode !== previous.mode) {
      this.held = false;
      this.segmenter.reset();
      this.gate.reset();
    }
    if (next.mode === 'muted') void this.closeMic();
    else if (!this.mic || next.deviceId !== previous.deviceId || this.problem) void this.openMic();
    this.publish(true);
  }

  private pushToTalk(down: boolean): void {
    if (this.settings.mode !== 'push-to-talk' || down === this.held) return;
    this.held = down;
    if (down) {
      this.gate.reset();
      this.segmenter.hold();
    } else {
      this.handle(this.segmenter.release());
    }
    this.publish(true);
  }

  private async openMic(): Promise<void> {
    await this.closeMic();
    const generation = ++this.generation;
    this.problem = '';
    try {
      this.detector ??= startVadWorker();
      const detector = await this.detector.catch((error: unknown) => {
        console.warn('voice detector:', error);
        this.detector = undefined;
        throw new MicProblem('failed', MIC_MESSAGES.detector);
      });
      if (generation !== this.generation) return;
      const mic = await openMicrophone({
        deviceId: this.settings.deviceId,
        onLost: () => {
          if (generation !== this.generation) return;
          this.problem = MIC_MESSAGES.lost;
          void this.closeMic();
          this.publish(true);
        },
      });
      if (generation !== this.generation) {
        await mic.close();
        return;
      }
      this.mic = mic;
      this.player.keepAwake(true);
      this.debug.listenedAt = performance.now();
      this.debug.firstArrivedAt = 0;
      this.debug.captureLostMs = 0;
      this.unlisten = detector.listen(
        mic.port,
        mic.frameMs,
        (frame) => this.onFrame(frame, generation),
        (message) => {
          if (generation !== this.generation) return;
          console.warn('voice detector:', message);
          this.problem = MIC_MESSAGES.detector;
          void this.closeMic();
          this.publish(true);
        },
      );
      this.statusTimer = setInterval(() => this.publish(true), STATUS_EVERY_MS);
      void this.refreshDevices();
    } catch (error) {
      if (generation !== this.generation) return;
      this.problem = error instanceof MicProblem ? error.message : MIC_MESSAGES.failed;
      console.warn('microphone:', error);
    }
    this.publish(true);
  }

  private async closeMic(): Promise<void> {
    this.generation++;
    if (this.statusTimer !== undefined) clearInterval(this.statusTimer);
    this.statusTimer = undefined;
    const mic = this.mic;
    this.mic = undefined;
    if (mic) this.player.keepAwake(false);
    this.unlisten?.();
    this.unlisten = undefined;
    this.level = 0;
    this.segmenter.reset();
    this.gate.reset();
    this.held = false;
    await mic?.close().catch(() => {});
  }

  private onFrame(frame: ScoredFrame, generation: number): void {
    if (generation !== this.generation) return;
    const { probability, level } = frame;
    this.debug.detectorMs += frame.inferenceMs;
    const times: FrameTimes = {
      at: frame.at,
      arrivedAt: frame.arrivedAt,
      scoredAt: frame.scoredAt,
      onMainAt: performance.now(),
    };
    this.frameTimes.add(times);
    if (this.debug.firstArrivedAt === 0) this.debug.firstArrivedAt = frame.arrivedAt;
    this.debug.frames++;
    this.debug.captureLostMs = frame.lostMs;
    this.debug.maxProbability = Math.max(this.debug.maxProbability, probability);
    this.debug.maxLevel = Math.max(this.debug.maxLevel, level);
    // Fast rise, slow fall, so the meter is readable a few times a second.
    this.level = Math.min(1, Math.max(level, this.level * 0.85));
    const now = performance.now();
    const sources = this.player.activeSources;
    if (sources > 0) this.lastAudibleAt = now;
    const playing = now - this.lastAudibleAt < ECHO_TAIL_MS;
    this.farEnd.push(sources > 0 ? this.player.level() : 0);
    if (this.farEnd.length > FAR_END_FRAMES) this.farEnd.shift();
    const farEnd = Math.max(...this.farEnd);
    this.debug.maxFarEnd = Math.max(this.debug.maxFarEnd, farEnd);
    const mayStart = this.settings.mode === 'hands-free' || this.held;
    const wasSpeaking = this.segmenter.speaking;
    const events = this.segmenter.push(frame.pcm, probability, frame.at, mayStart);
    if (events.some((e) => e.type === 'speech-start') && !this.held) this.gate.reset();
    if (this.segmenter.speaking || events.some((e) => e.type === 'speech-start')) {
      if (this.gate.frame({ playing, probability, level, farEnd })) this.bargeIn();
    }
    this.handle(events, times);
    if (wasSpeaking !== this.segmenter.speaking) this.publish(true);
  }

  /** Kiyo stops at once, the same way Escape stops her: history keeps what was heard. */
  private bargeIn(): void {
    this.debug.interruptions++;
    this.player.stop();
    this.bridge.cancel();
  }

  private handle(events: ReturnType<UtteranceSegmenter['push']>, endFrame?: FrameTimes): void {
    for (const event of events) {
      if (event.type === 'misfire') {
        this.debug.misfires++;
        this.gate.reset();
      } else if (event.type === 'utterance') {
        if (this.gate.accepted) this.send(event.utterance, endFrame);
        else this.debug.dropped++;
        this.gate.reset();
      }
    }
  }

  private send(utterance: Utterance, endFrame?: FrameTimes): void {
    const wav = encodeWav(utterance.samples, UTTERANCE_SAMPLE_RATE);
    const encodedAt = performance.now();
    const speechMs = Math.min(UTTERANCE_MAX_SECONDS * 1000, Math.max(0, utterance.speechMs));
    // Measured last: the time from the real end of speech to this send, encoding included.
    const sentAt = performance.now();
    const sinceSpeechEndMs = Math.min(10_000, Math.max(0, sentAt - utterance.speechEndAt));
    this.bridge.sendUtterance({ wav, speechMs, sinceSpeechEndMs });
    const bridgeReturnedAt = performance.now();
    const lastVoiced = this.frameTimes.find(utterance.speechEndAt);
    const steps: UtteranceSteps | undefined =
      lastVoiced && endFrame
        ? {
            lastVoicedCapturedAt: lastVoiced.at,
            lastVoicedArrivedAt: lastVoiced.arrivedAt,
            lastVoicedScoredAt: lastVoiced.scoredAt,
            lastVoicedOnMainAt: lastVoiced.onMainAt,
            endFrameCapturedAt: endFrame.at,
            endFrameArrivedAt: endFrame.arrivedAt,
            endFrameScoredAt: endFrame.scoredAt,
            endFrameOnMainAt: endFrame.onMainAt,
            encodedAt,
            sentAt,
            bridgeReturnedAt,
            timeOrigin: performance.timeOrigin,
          }
        : undefined;
    this.debug.sent.push({ speechMs, sinceSpeechEndMs, bytes: wav.byteLength, ...(steps ? { steps } : {}) });
    this.thinking = true;
    this.canRetry = false;
    this.publish(true);
  }

  private onPipelineEvent(event: PipelineEvent): void {
    switch (event.type) {
      case 'turn-start':
        this.canRetry = false;
        this.heard = '';
        if (event.source?.kind === 'voice') {
          this.voiceTurn = event.turnId;
          this.thinking = true;
        } else {
          this.thinking = false;
        }
        break;
      case 'transcript':
        if (event.turnId === this.voiceTurn) this.heard = event.text;
        break;
      case 'audio':
      case 'turn-end':
        if (event.turnId === this.voiceTurn) this.thinking = false;
        break;
      case 'error':
        if (event.turnId === this.voiceTurn) this.thinking = false;
        if (event.code.startsWith('stt-')) this.canRetry = true;
        break;
      default:
        return;
    }
    this.publish(false);
  }

  private state(): EarState {
    if (this.problem) return 'unavailable';
    if (this.settings.mode === 'muted' || !this.mic) return 'off';
    if (this.segmenter.speaking) return 'hearing';
    if (this.thinking) return 'thinking';
    if (this.settings.mode === 'push-to-talk' && !this.held) return 'off';
    return 'listening';
  }

  private async refreshDevices(): Promise<void> {
    try {
      this.devices = await listMicrophones();
    } catch {
      this.devices = [];
    }
    this.publish(true);
  }

  /** Tells the overlay when its view changed; with `report`, main as well (level meter, devices). */
  private publish(report: boolean): void {
    const view: EarView = {
      state: this.state(),
      problem: this.problem,
      canRetry: this.canRetry,
      heard: this.heard,
    };
    const key = JSON.stringify(view);
    if (key !== this.lastView) {
      this.lastView = key;
      this.onView(view);
    }
    if (!report) return;
    const status: VoiceStatus = {
      state: view.state,
      level: Math.round(this.level * 1000) / 1000,
      devices: this.devices,
      ...(this.problem ? { problem: this.problem.slice(0, 200) } : {}),
    };
    this.bridge.reportVoiceStatus(status);
  }
}
