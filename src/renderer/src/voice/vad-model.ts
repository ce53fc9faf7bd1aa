import type { Model } from '@ricky0123/vad-web/dist/models/common';
import { Silero } from '@ricky0123/vad-web/dist/models/silero';
import * as ort from 'onnxruntime-web/wasm';

/**
 * Silero VAD v5 (from @ricky0123/vad-web) on onnxruntime-web's single-threaded SIMD WebAssembly,
 * loaded from the app's own files: the model is copied into vad/ at build time
 * (electron.vite.config.ts), the .wasm is emitted by Vite into assets/ (vad-assets.ts has their
 * URLs). It runs in the voice-detector worker (vad-worker.ts), started only when the ear
 * listens, so the OBS page and a muted ear never load it.
 *
 * The model and the .wasm are read with XMLHttpRequest and handed over as bytes: the page is a
 * file:// page in the app, where fetch() refuses the file scheme, and an http page in the
 * browser tests; XHR reads both (in a worker too), and the runtime never fetches anything by itself.
 */

function loadBytes(url: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('GET', url);
    request.responseType = 'arraybuffer';
    request.onload = () => {
      const ok = request.status === 200 || (request.status === 0 && request.response instanceof ArrayBuffer);
      if (ok) resolve(request.response as ArrayBuffer);
      else reject(new Error(`${url}: HTTP ${request.status}`));
    };
    request.onerror = () => reject(new Error(`${url} could not be read`));
    request.send();
  });
}

export interface SpeechDetector {
  /** Speech probability (0–1) of one 512-sample frame. Calls are queued: the model has state. */
  probability(frame: Float32Array): Promise<number>;
  reset(): void;
  release(): Promise<void>;
}

export async function loadSpeechDetector(urls: {
  wasmUrl: string;
  modelUrl: string;
}): Promise<SpeechDetector> {
  const wasm = await loadBytes(urls.wasmUrl);
  ort.env.logLevel = 'error';
  // No threads: they need cross-origin isolation, and one 32 ms frame takes ~1 ms.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = wasm;
  const model: Model = await Silero.new(ort, () => loadBytes(urls.modelUrl));
  let queue: Promise<unknown> = Promise.resolve();
  return {
    probability(frame) {
      const run = queue.then(() => model.process(frame)).then((p) => p.isSpeech);
      queue = run.catch(() => undefined);
      return run;
    },
    reset: () => model.reset_state(),
    release: () => model.release(),
  };
}
