/**
 * espeak-ng runs in a worker thread: the calling thread's event loop keeps turning while a clause
 * is synthesised, an abort lets go at once, and a worker that crashes, exits or hangs fails its
 * request plainly and is replaced for the next one.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closeEspeak, espeakWav, EspeakWorker } from '../../src/main/pipeline/tts/espeak-wasm';
import { OfflineTtsEngine } from '../../src/main/pipeline/tts/offline-tts-engine';
import { PipelineError } from '../../src/main/pipeline/pipeline-error';
import { parseWav } from '../../src/main/pipeline/tts/pcm';
import { runCommand } from '../helpers/run-command';

const FAULTY_WORKER = pathToFileURL(join(__dirname, '../fixtures/faulty-espeak-worker.mjs'));
const IDLE_CHILD = join(__dirname, '../fixtures/espeak-idle-child.ts');
/** A few seconds of speech: long enough that an in-thread synthesis would stall the loop visibly. */
const LONG_TEXT = 'The quick brown fox jumps over the lazy dog, and then it runs away again. '.repeat(12);

afterAll(() => closeEspeak());

/**
 * The offline engine speaking `voice`. Its settings are only read for the voice and the speed, and
 * `en-us` or `xx` name the same espeak-ng voice whether taken as an Edge voice's language or as an
 * espeak-ng voice, so the engine is built the same way under either settings shape.
 */
function offlineEngine(voice = 'en-us'): OfflineTtsEngine {
  const settings = { voice, rate: 0, speed: 175 };
  return new OfflineTtsEngine(settings as unknown as ConstructorParameters<typeof OfflineTtsEngine>[0]);
}

async function pcmOf(engine: OfflineTtsEngine, text: string, signal = new AbortController().signal) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of engine.synthesize({ text, signal })) chunks.push(chunk.data);
  return Buffer.concat(chunks);
}

/** Settles with the promise's outcome, or 'pending' if it has not settled by the next loop turn. */
function settledByNextTurn<T>(promise: Promise<T>): Promise<T | Error | 'pending'> {
  return Promise.race([
    promise.catch((error: Error) => error),
    new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending'))),
  ]);
}

function isWav(wav: Uint8Array): boolean {
  return Buffer.from(wav.subarray(0, 4)).toString('latin1') === 'RIFF' && parseWav(wav).samples.length > 1000;
}

describe('the offline voice in a worker thread', () => {
  it('keeps the event loop turning while a long text is synthesised', async () => {
    const engine = offlineEngine();
    let ticks = 0;
    let last = performance.now();
    let longestStall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    const pcm = await pcmOf(engine, LONG_TEXT);
    const took = performance.now() - started;
    clearInterval(ticker);
    // Real speech came back: many seconds of 24 kHz 16-bit samples.
    expect(pcm.byteLength).toBeGreaterThan(22_050 * 2 * 5);
    // In the calling thread, espeak-ng's run is one blocking stretch: one stall nearly as long as
    // the whole synthesis, and only the few ticks around it.
    expect(ticks).toBeGreaterThan(20);
    expect(longestStall).toBeLessThan(took / 2);
  });

  it('lets go of an aborted request at once, drops its audio, and the next request gets its own', async () => {
    const worker = new EspeakWorker();
    try {
      const controller = new AbortController();
      const long = worker.synthesize(` ${LONG_TEXT}`, { voice: 'en-us', signal: controller.signal });
      controller.abort();
      const outcome = await settledByNextTurn(long);
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).name).toBe('AbortError');
      // The next request waits for the abandoned one to come back, then gets its own audio.
      const next = await worker.synthesize(' Next one.', { voice: 'en-us' });
      expect(Buffer.from(next).equals(Buffer.from(await espeakWav('Next one.', { voice: 'en-us' })))).toBe(
        true,
      );
    } finally {
      await worker.close();
    }
  });

  it('an aborted clause in the engine ends quietly with no audio', async () => {
    const controller = new AbortController();
    const pcm = pcmOf(offlineEngine(), LONG_TEXT, controller.signal);
    controller.abort();
    expect(await settledByNextTurn(pcm)).toEqual(Buffer.alloc(0));
  });

  it.each([
    ['throws', ' CRASH', /^espeak-ng crashed: simulated crash$/],
    ['exits', ' EXIT', /^espeak-ng stopped \(exit code 7\)$/],
    ['hangs', ' HANG', /^espeak-ng took longer than 1 s and was restarted$/],
  ])('a worker that %s fails its request plainly and is replaced', async (_, text, message) => {
    const worker = new EspeakWorker({
      url: FAULTY_WORKER,
      timeoutMs: (request) => (request.includes('HANG') ? 1000 : 60_000),
    });
    try {
      // The worker works before the fault, fails with it, and a new one works after it (the old
      // one is dead or blocked for good, so it could not have answered).
      expect(isWav(await worker.synthesize(' Before.', { voice: 'en-us' }))).toBe(true);
      await expect(worker.synthesize(text, { voice: 'en-us' })).rejects.toThrow(message);
      expect(isWav(await worker.synthesize(' After.', { voice: 'en-us' }))).toBe(true);
    } finally {
      await worker.close();
    }
  });

  it('a worker script that is missing or not a file fails the request plainly', async () => {
    for (const [url, message] of [
      [pathToFileURL(join(__dirname, 'no-such-worker.mjs')), /^espeak-ng crashed: Cannot find module/],
      [new URL('data:text/javascript,0'), /^espeak-ng could not start: /],
    ] as const) {
      const worker = new EspeakWorker({ url });
      await expect(worker.synthesize(' Hello.')).rejects.toThrow(message);
      await worker.close();
    }
  });

  it('requests queued behind a failing one still get their audio', async () => {
    const worker = new EspeakWorker({ url: FAULTY_WORKER });
    try {
      const crash = worker.synthesize(' CRASH');
      const after = worker.synthesize(' Queued.', { voice: 'en-us' });
      await expect(crash).rejects.toThrow(/crashed/);
      expect(isWav(await after)).toBe(true);
    } finally {
      await worker.close();
    }
  });

  it('close fails what is pending, and a later request starts a new worker', async () => {
    const worker = new EspeakWorker();
    const pending = worker
      .synthesize(' Shut down before I finish.', { voice: 'en-us' })
      .catch((e: Error) => e);
    await worker.close();
    expect(await pending).toEqual(new Error('The offline voice was shut down'));
    expect(isWav(await worker.synthesize(' Back again.', { voice: 'en-us' }))).toBe(true);
    await worker.close();
  });

  it('a voice espeak-ng lacks fails plainly (espeak-ng would exit), and the voice still works after', async () => {
    const engine = offlineEngine('xx');
    const failure = await pcmOf(engine, 'Hello there.').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PipelineError);
    expect(failure).toMatchObject({ code: 'tts-failed' });
    expect((failure as Error).message).toMatch(/^The offline voice failed.*: espeak-ng has no voice "xx"$/);
    expect((await pcmOf(offlineEngine(), 'Hello there.')).byteLength).toBeGreaterThan(22_050);
  });

  it('keeps a process alive while it owes an answer, and not once idle', async () => {
    const run = await runCommand(process.execPath, ['--import', 'tsx', IDLE_CHILD]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.match(/^wav RIFF \d{5,}$/gm)).toHaveLength(2);
  });
});
