import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const require = createRequire(import.meta.url);
const VENDOR = resolve(__dirname, 'resources/vendor');

/**
 * Third-party runtime assets are copied from node_modules at build time, never committed:
 * the Live2D Cubism 2 core (from wl-live2d) and the default model (live2d-widget-model-shizuku).
 */
function copyVendorAssets(): Plugin {
  return {
    name: 'kiyo-copy-vendor-assets',
    buildStart() {
      const wl = resolve(__dirname, 'node_modules/wl-live2d');
      const shizuku = dirname(require.resolve('live2d-widget-model-shizuku/package.json'));
      mkdirSync(resolve(VENDOR, 'live2d'), { recursive: true });
      for (const core of ['live2dcubism2core.min.js', 'live2dcubism4core.min.js']) {
        cpSync(resolve(wl, 'dist/packages', core), resolve(VENDOR, 'live2d', core));
      }
      if (!existsSync(resolve(VENDOR, 'models/shizuku/shizuku.model.json'))) {
        cpSync(resolve(shizuku, 'assets'), resolve(VENDOR, 'models/shizuku'), { recursive: true });
      }
    },
  };
}

/**
 * The ear's voice activity detection (src/renderer/src/voice) loads these by URL at run time,
 * from the app's own origin (no CDN): Silero VAD v5 and the audio worklet that cuts the
 * microphone into 16 kHz frames (@ricky0123/vad-web). onnxruntime-web's .wasm is not copied:
 * Vite emits it into assets/ from the `?url` import in vad-model.ts (its loader is bundled). The
 * package's other models and runtimes (legacy/v6, JSEP, JSPI, asyncify) are left out.
 */
const VAD_ASSETS: readonly { from: string; file: string }[] = [
  { from: '@ricky0123/vad-web/dist', file: 'silero_vad_v5.onnx' },
  { from: '@ricky0123/vad-web/dist', file: 'vad.worklet.bundle.min.js' },
];

function copyVadAssets(): Plugin {
  return {
    name: 'kiyo-copy-vad-assets',
    buildStart() {
      mkdirSync(resolve(VENDOR, 'vad'), { recursive: true });
      for (const { from, file } of VAD_ASSETS) {
        cpSync(resolve(__dirname, 'node_modules', from, file), resolve(VENDOR, 'vad', file));
      }
    },
  };
}

/**
 * Worker threads are started by path, so the bundle does not pull them in: the espeak-ng worker
 * (plain JavaScript, needing no transform) is emitted next to main's index.js, where
 * `new URL('./espeak-worker.mjs', import.meta.url)` in espeak-wasm.ts finds it.
 */
function emitEspeakWorker(): Plugin {
  const worker = resolve(__dirname, 'src/main/pipeline/tts/espeak-worker.mjs');
  return {
    name: 'kiyo-emit-espeak-worker',
    buildStart() {
      this.addWatchFile(worker);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'espeak-worker.mjs', source: readFileSync(worker, 'utf8') });
    },
  };
}

/**
 * Hold-to-talk's global key hook runs in a utility process of its own, started by path
 * (src/main/shell/global-key-hook-process.ts): its plain-JavaScript script is emitted next to
 * main's index.js like the espeak-ng worker, and loads uiohook-napi from node_modules at run time.
 */
function emitKeyHookWorker(): Plugin {
  const worker = resolve(__dirname, 'src/main/shell/global-key-hook-worker.mjs');
  return {
    name: 'kiyo-emit-key-hook-worker',
    buildStart() {
      this.addWatchFile(worker);
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'global-key-hook-worker.mjs',
        source: readFileSync(worker, 'utf8'),
      });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), emitEspeakWorker(), emitKeyHookWorker()],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } } },
  },
  preload: {
    build: {
      // A sandboxed preload can require only electron and a few Node built-ins, never a package
      // from node_modules: everything it imports (zod, the shared contract) is bundled into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // Sandboxed preloads cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    publicDir: VENDOR,
    plugins: [copyVendorAssets(), copyVadAssets(), react()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          preferences: resolve(__dirname, 'src/renderer/preferences.html'),
        },
      },
    },
  },
});
