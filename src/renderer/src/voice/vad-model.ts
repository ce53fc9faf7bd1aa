import type { Model } from '@ricky0123/vad-web/dist/models/common';
// The same file onnxruntime's bundle refers to, so the build emits it once.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

/**
 * Silero VAD v5 (from @ricky0123/vad-web) on onnxruntime-web's single-threaded SIMD WebAssembly,
 * loaded from the app's own files: the model is copied into vad/ at build time
 * (electron.vite.config.ts), the .wasm is emitted by Vite into assets/.
 * Both are imported only when the ear starts, so the OBS page and a muted ear never load them.
 *
 * The model and the .wasm are read with XMLHttpRequest and handed over as bytes: the page is a
 * file:// page in the app, where fetch() refuses the file scheme, and an http page in the
 * browser tests; XHR reads both, and the runtime never fetches anything by itself.
 */

/** Silero v5 takes 512 samples at 16 kHz: one frame is 32 ms. */
export const FRAME_SAMPLES = 512;
export const FRAME_MS = 32;
export const VAD_SAMPLE_RATE = 16_000;

export function vadAssetUrl(file: string): string {
  return new URL(`vad/${file}`, document.baseURI).href;
}

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

export async function loadSpeechDetector(): Promise<SpeechDetector> {
  const [ort, { Silero }, wasm] = await Promise.all([
    import('onnxruntime-web/wasm'),
    import('@ricky0123/vad-web/dist/models/silero'),
    loadBytes(new URL(ortWasmUrl, document.baseURI).href),
  ]);
  ort.env.logLevel = 'error';
  // No threads: they need cross-origin isolation and workers, and one 32 ms frame takes ~1 ms.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = wasm;
  const model: Model = await Silero.new(ort, () => loadBytes(vadAssetUrl('silero_vad_v5.onnx')));
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
