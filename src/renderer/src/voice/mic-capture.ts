import { workletFrameMs } from './capture-clock';
import { MIC_MESSAGES } from './mic-messages';

export { MIC_MESSAGES };
import { vadAssetUrl } from './vad-assets';
import { FRAME_SAMPLES, VAD_SAMPLE_RATE } from './vad-frame';

/**
 * The microphone, cut into 16 kHz frames of 512 samples by vad-web's audio worklet (which
 * resamples from the device rate). The frames are not read here: the worklet's `port` goes to
 * the voice-detector worker (vad-client.ts), which stamps and scores them off the main thread.
 */
export interface MicCapture {
  readonly deviceId: string;
  /** The worklet's port: AUDIO_FRAME messages, one per frame. Hand it over once. */
  readonly port: MessagePort;
  /** How much captured audio one frame holds, ms (32 at 48 kHz, 32.018 at 44.1 kHz). */
  readonly frameMs: number;
  close(): Promise<void>;
}

/** Why the microphone could not be used, in plain words for the overlay and Preferences. */
export class MicProblem extends Error {
  constructor(
    readonly kind: 'denied' | 'absent' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

function problemOf(error: unknown): MicProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return new MicProblem('denied', MIC_MESSAGES.denied);
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
    return new MicProblem('absent', MIC_MESSAGES.absent);
  return new MicProblem('failed', MIC_MESSAGES.failed);
}

export async function openMicrophone(options: {
  deviceId: string;
  /** The track ended by itself (device unplugged, permission revoked). */
  onLost(): void;
}): Promise<MicCapture> {
  if (!navigator.mediaDevices?.getUserMedia) throw new MicProblem('absent', MIC_MESSAGES.absent);
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        deviceId: options.deviceId ? { exact: options.deviceId } : undefined,
        channelCount: 1,
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
      },
    });
  } catch (error) {
    throw problemOf(error);
  }
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule(vadAssetUrl('vad.worklet.bundle.min.js'));
    const node = new AudioWorkletNode(context, 'vad-helper-worklet', {
      processorOptions: { frameSamples: FRAME_SAMPLES },
    });
    const source = context.createMediaStreamSource(stream);
    source.connect(node);
    // A context made without a click may start suspended; the app and OBS allow audio without one.
    if (context.state === 'suspended') void context.resume();
    const [track] = stream.getAudioTracks();
    track?.addEventListener('ended', () => options.onLost());
    return {
      deviceId: track?.getSettings().deviceId ?? options.deviceId,
      port: node.port,
      frameMs: workletFrameMs(context.sampleRate, FRAME_SAMPLES, VAD_SAMPLE_RATE),
      close: async () => {
        // The worklet's port went to the detector worker, which stops the worklet itself.
        source.disconnect();
        for (const t of stream.getTracks()) t.stop();
        await context.close();
      },
    };
  } catch (error) {
    for (const t of stream.getTracks()) t.stop();
    void context.close();
    throw error instanceof MicProblem ? error : new MicProblem('failed', MIC_MESSAGES.failed);
  }
}

/** The microphones the system offers (labels appear once the page may use one). */
export async function listMicrophones(): Promise<{ deviceId: string; label: string }[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'audioinput' && d.deviceId)
    .slice(0, 32)
    .map((d, i) => ({
      deviceId: d.deviceId.slice(0, 512),
      label: (d.label || `Microphone ${i + 1}`).slice(0, 200),
    }));
}
