import { detectorUrls } from './vad-assets';
import type { FromVadWorker, ScoredFrame, ToVadWorker } from './vad-worker-messages';

/** The page's handle on the voice-detector worker (vad-worker.ts). */
export interface VadWorker {
  /**
   * Hands the audio worklet's port to the worker: its frames come back scored to `onFrame`, in
   * order. Returns the function that stops hearing them.
   */
  listen(
    port: MessagePort,
    periodMs: number,
    onFrame: (frame: ScoredFrame) => void,
    onFailed: (message: string) => void,
  ): () => void;
  release(): void;
}

/** Starts the worker and loads Silero in it; rejects if either fails. */
export function startVadWorker(): Promise<VadWorker> {
  // Vite bundles the worker from this exact expression (assets/vad-worker-*.js, from 'self').
  const worker = new Worker(new URL('./vad-worker.ts', import.meta.url), { type: 'module' });
  const send = (message: ToVadWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
  const listeners = new Map<number, { onFrame(frame: ScoredFrame): void; onFailed(message: string): void }>();
  let nextId = 1;
  const client: VadWorker = {
    listen(port, periodMs, onFrame, onFailed) {
      const id = nextId++;
      listeners.set(id, { onFrame, onFailed });
      send({ type: 'listen', id, port, periodMs }, [port]);
      return () => {
        if (!listeners.delete(id)) return;
        send({ type: 'stop', id });
      };
    },
    release() {
      listeners.clear();
      worker.terminate();
    },
  };
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<FromVadWorker>) => {
      switch (data.type) {
        case 'loaded':
          return resolve(client);
        case 'load-failed':
          worker.terminate();
          return reject(new Error(data.message));
        case 'frame': {
          const { type: _type, id, ...frame } = data;
          return listeners.get(id)?.onFrame(frame);
        }
        case 'detector-failed':
          return listeners.get(data.id)?.onFailed(data.message);
      }
    };
    // The script itself failed (not found, refused by the page's policy, a syntax error).
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(event.message || 'the voice detector worker did not start'));
    };
    send({ type: 'load', ...detectorUrls(), pageTimeOrigin: performance.timeOrigin });
  });
}
