import { rms } from '../audio/lip-sync';
import { CaptureClock } from './capture-clock';
import { loadSpeechDetector, type SpeechDetector } from './vad-model';
import type { FromVadWorker, ToVadWorker } from './vad-worker-messages';
import { toPcm16 } from './wav-encoder';

/**
 * The ear's voice detector, off the page's main thread: the audio worklet's frames come here
 * directly (the page hands over the worklet's port), are stamped with their capture time on
 * arrival, scored by Silero, converted to PCM and sent to the page. The page draws the avatar
 * on its main thread; a frame drawn late there used to reach the detector late too, and after a
 * stall the detector scored the backlog one frame after another before the ear could act.
 */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToVadWorker>) => void) | null;
  postMessage(message: FromVadWorker, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

let detector: Promise<SpeechDetector> | undefined;
let pageTimeOrigin = 0;
const ports = new Map<number, MessagePort>();

/** The page's performance.now(): both clocks count from their own origin on the same time line. */
const pageNow = () => performance.timeOrigin + performance.now() - pageTimeOrigin;

scope.onmessage = ({ data }) => {
  switch (data.type) {
    case 'load': {
      pageTimeOrigin = data.pageTimeOrigin;
      const loading = loadSpeechDetector(data);
      detector = loading;
      loading.then(
        () => scope.postMessage({ type: 'loaded' }),
        (error: unknown) => scope.postMessage({ type: 'load-failed', message: String(error) }),
      );
      return;
    }
    case 'listen':
      return listen(data.id, data.port, data.periodMs);
    case 'stop': {
      const port = ports.get(data.id);
      ports.delete(data.id);
      // The worklet stops producing frames (vad-web's message); the page closes the rest.
      port?.postMessage('SPEECH_STOP');
      port?.close();
      return;
    }
  }
};

function listen(id: number, port: MessagePort, periodMs: number): void {
  const clock = new CaptureClock(periodMs);
  ports.set(id, port);
  port.onmessage = (event: MessageEvent<{ message?: string; data?: unknown }>) => {
    const arrivedAt = pageNow();
    if (event.data?.message !== 'AUDIO_FRAME' || !(event.data.data instanceof ArrayBuffer)) return;
    const at = clock.stamp(arrivedAt);
    void score(id, new Float32Array(event.data.data), at, arrivedAt, clock.lostMs);
  };
}

async function score(
  id: number,
  samples: Float32Array,
  at: number,
  arrivedAt: number,
  lostMs: number,
): Promise<void> {
  let probability: number;
  const started = performance.now();
  try {
    // Frames are scored in order: the detector queues its calls (the model has state).
    probability = await (await detector!).probability(samples);
  } catch (error) {
    if (ports.has(id)) scope.postMessage({ type: 'detector-failed', id, message: String(error) });
    return;
  }
  if (!ports.has(id)) return;
  const scoredAt = pageNow();
  const pcm = toPcm16(samples);
  scope.postMessage(
    {
      type: 'frame',
      id,
      pcm,
      probability,
      level: rms(samples),
      at,
      arrivedAt,
      scoredAt,
      inferenceMs: performance.now() - started,
      lostMs,
    },
    [pcm.buffer],
  );
}
