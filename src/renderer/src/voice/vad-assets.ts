// The same file onnxruntime's bundle refers to, so the build emits it once.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

/**
 * Where the ear's voice-detection files are, as absolute URLs from the page's own location (the
 * app's file:// folder, or the browser-mode server): vad-web's audio worklet and the Silero
 * model are copied into vad/ at build time, onnxruntime's .wasm is emitted into assets/.
 */
export function vadAssetUrl(file: string): string {
  return new URL(`vad/${file}`, document.baseURI).href;
}

export function detectorUrls(): { wasmUrl: string; modelUrl: string } {
  return {
    wasmUrl: new URL(ortWasmUrl, document.baseURI).href,
    modelUrl: vadAssetUrl('silero_vad_v5.onnx'),
  };
}
