/**
 * The thread espeak-ng runs in (see espeak-wasm.ts, which starts it and is its only client).
 * text2wav's synthesis is synchronous CPU work of hundreds of milliseconds per clause; here it
 * blocks only this thread. Plain JavaScript on purpose: it is started by path, so it must run
 * without a TypeScript loader under Electron (copied as is into out/main), tsx and vitest alike.
 *
 * Protocol: the client sends { id, text, options } one at a time and gets back { id, wav } (the
 * WAV's buffer transferred, not copied) or { id, error } with a plain message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);

// On every call, Emscripten first tries to fetch its .wasm by file path, fails, says so and falls
// back to reading the file. Those two lines are noise; everything else still prints.
const NOISE = /wasm streaming compile failed|falling back to ArrayBuffer instantiation/;
for (const name of ['warn', 'error']) {
  const original = console[name];
  console[name] = (...args) => {
    if (!(typeof args[0] === 'string' && NOISE.test(args[0]))) original(...args);
  };
}

const text2wav = require('text2wav');

/**
 * Names espeak-ng accepts for -v, lower-cased: each voice file's name and the languages it
 * declares. An unknown voice makes espeak-ng call exit(1), which ends this thread (and would end
 * the whole process outside a worker), so it is refused with a plain message first.
 */
let voices;
function knownVoices() {
  if (voices) return voices;
  voices = new Set();
  const lang = join(dirname(require.resolve('text2wav/package.json')), 'espeak-ng-data/lang');
  for (const entry of readdirSync(lang, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    voices.add(entry.name.toLowerCase());
    const file = readFileSync(join(entry.parentPath ?? entry.path, entry.name), 'latin1');
    for (const match of file.matchAll(/^language\s+(\S+)/gm)) voices.add(match[1].toLowerCase());
  }
  return voices;
}

/**
 * Each text2wav call boots a fresh Emscripten module that adds `uncaughtException` and
 * `unhandledRejection` listeners to `process`. In a worker, `process` events concern this thread
 * only, so the host's own error handling is no longer at stake; but each listener's closure keeps
 * that call's module (its whole wasm memory) reachable, so without removing them every clause
 * would leak memory and Node would warn about too many listeners after ten.
 */
async function synthesize(text, options) {
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((event) => new Set(process.listeners(event)));
  const restore = () =>
    events.forEach((event, i) => {
      for (const listener of process.listeners(event)) {
        if (!before[i].has(listener)) process.removeListener(event, listener);
      }
    });
  try {
    // text2wav passes every extra argument (even undefined) on to espeak-ng.
    const pending = options && Object.keys(options).length ? text2wav(text, options) : text2wav(text);
    restore();
    return await pending;
  } finally {
    restore();
  }
}

async function handle({ id, text, options }) {
  try {
    const voice = options?.voice;
    if (voice !== undefined && !knownVoices().has(voice.split('+')[0].toLowerCase())) {
      throw new Error(`espeak-ng has no voice "${voice}"`);
    }
    const wav = await synthesize(text, options);
    parentPort.postMessage({ id, wav }, [wav.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
}

// The client sends one request at a time; the chain keeps that true even if it did not, since two
// calls at once share the module's file system and crash it.
let previous = Promise.resolve();
parentPort.on('message', (request) => {
  previous = previous.then(() => handle(request));
});
