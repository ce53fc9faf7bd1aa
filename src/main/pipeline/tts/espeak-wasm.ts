/**
 * espeak-ng compiled to WebAssembly (npm text2wav): a voice that works with no network and no
 * download, for the offline fallback and the fake speech server.
 */

export interface EspeakOptions {
  /** espeak-ng voice, e.g. en-us, ja, cmn. */
  voice?: string;
  /** Words per minute (espeak's default is 175). */
  speed?: number;
}

type Text2Wav = (text: string, options?: EspeakOptions) => Promise<Uint8Array>;
let text2wav: Promise<Text2Wav> | undefined;

async function loadText2Wav(): Promise<Text2Wav> {
  // On every call, Emscripten first tries to fetch its .wasm by file path, fails, says so and
  // falls back to reading the file. Those two lines are noise; everything else still prints.
  const noise = /wasm streaming compile failed|falling back to ArrayBuffer instantiation/;
  for (const name of ['warn', 'error'] as const) {
    const original = console[name];
    console[name] = (...args: unknown[]) => {
      if (!(typeof args[0] === 'string' && noise.test(args[0]))) original(...args);
    };
  }
  const module = (await import('text2wav')) as unknown as { default: Text2Wav };
  return withoutProcessHooks(module.default);
}

/**
 * Each text2wav call boots an Emscripten module that adds process-wide `uncaughtException` and
 * `unhandledRejection` handlers (the latter aborts the process). Those are removed again so a
 * host process keeps its own error handling and does not collect a listener per call. Calls are
 * also serialised: two at once share the module's state and crash it.
 */
function withoutProcessHooks(synthesize: Text2Wav): Text2Wav {
  const events: string[] = ['uncaughtException', 'unhandledRejection'];
  let previous: Promise<unknown> = Promise.resolve();
  return (text, options) => {
    const next = previous.then(() => once(text, options));
    previous = next.catch(() => {});
    return next;
  };
  async function once(text: string, options?: Parameters<Text2Wav>[1]): Promise<Uint8Array> {
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = events.map((event) => new Set(emitter.listeners(event)));
    const restore = () =>
      events.forEach((event, i) => {
        for (const listener of emitter.listeners(event)) {
          if (!before[i]!.has(listener))
            emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      });
    // text2wav passes every extra argument (even undefined) on to espeak-ng.
    const pending = options ? synthesize(text, options) : synthesize(text);
    restore();
    try {
      return await pending;
    } finally {
      restore();
    }
  }
}

/** A WAV file (22.05 kHz, 16-bit mono) of `text` spoken by espeak-ng. */
export async function espeakWav(text: string, options?: EspeakOptions): Promise<Uint8Array> {
  text2wav ??= loadText2Wav();
  // espeak-ng reads its arguments like a command line: a text starting with "-" would be an option.
  const safe = ` ${text.replace(/\s+/g, ' ').trim() || ' '}`;
  return (await text2wav)(safe, options);
}
