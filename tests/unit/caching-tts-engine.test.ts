import { describe, expect, it } from 'vitest';
import { CachingTtsEngine } from '../../src/main/pipeline/tts/caching-tts-engine';
import { PhraseCache } from '../../src/main/pipeline/tts/phrase-cache';
import { PhrasePreloader } from '../../src/main/pipeline/tts/phrase-preloader';
import type { ProviderEngine } from '../../src/main/pipeline/tts/providers/provider';
import type { AudioChunk, SynthesisRequest } from '../../src/main/pipeline/tts/tts-engine';
import { MP3 } from '../../src/shared/audio-format';
import { defaultPipelineSettings } from '../../src/shared/settings';
import { testLogger } from '../helpers/pipeline-fixture';

/**
 * A voice whose clauses are three chunks, each released by the test: so a test can abort or fail
 * a clause between chunks, and knows when the engine has really finished with it.
 */
class SteppedVoice implements ProviderEngine<unknown> {
  requests = 0;
  private release: (() => void)[] = [];
  finished!: Promise<void>;
  failAfterFirst = false;

  step(): void {
    this.release.shift()?.();
  }

  async *synthesize(request: SynthesisRequest): AsyncGenerator<AudioChunk> {
    this.requests++;
    let done!: () => void;
    this.finished = new Promise((r) => (done = r));
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve) => {
          this.release.push(resolve);
          request.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        if (request.signal.aborted) return; // engines return quietly on abort
        if (i === 1 && this.failAfterFirst) throw new Error('the voice dropped');
        yield { data: new Uint8Array(100).fill(i + 1), format: MP3 };
      }
    } finally {
      done();
    }
  }
  warm(): void {}
  close(): void {}
  updateSettings(): void {}
}

const settings = defaultPipelineSettings().tts.providers.edge;

async function firstChunkThen(
  engine: CachingTtsEngine,
  voice: SteppedVoice,
  act: (controller: AbortController) => void,
): Promise<number> {
  const controller = new AbortController();
  let received = 0;
  const reading = (async () => {
    for await (const chunk of engine.synthesize({ text: 'Hello!', signal: controller.signal })) {
      received += chunk.data.byteLength;
      act(controller);
      voice.step();
    }
  })();
  voice.step();
  await reading.catch(() => {});
  return received;
}

describe('the caching engine', () => {
  it('never stores a clause cut short by an abort', async () => {
    const voice = new SteppedVoice();
    const cache = new PhraseCache(1 << 20);
    const engine = new CachingTtsEngine('edge', settings, voice, cache);
    const received = await firstChunkThen(engine, voice, (c) => c.abort());
    await voice.finished;
    await new Promise((r) => setImmediate(r));
    expect(received).toBe(100); // the fault happened: one chunk of three, then the abort
    expect(cache.stats().entries).toBe(0);
  });

  it('never stores a clause that failed after some audio', async () => {
    const voice = new SteppedVoice();
    voice.failAfterFirst = true;
    const cache = new PhraseCache(1 << 20);
    const engine = new CachingTtsEngine('edge', settings, voice, cache);
    const received = await firstChunkThen(engine, voice, () => {});
    await voice.finished;
    await new Promise((r) => setImmediate(r));
    expect(received).toBe(100);
    expect(cache.stats().entries).toBe(0);
  });

  it('stores a complete clause, and replays it with no request', async () => {
    const voice = new SteppedVoice();
    const cache = new PhraseCache(1 << 20);
    const engine = new CachingTtsEngine('edge', settings, voice, cache);
    expect(await firstChunkThen(engine, voice, () => {})).toBe(300);
    await expect.poll(() => cache.stats().entries).toBe(1);
    const replay: AudioChunk[] = [];
    for await (const c of engine.synthesize({ text: 'Hello!', signal: new AbortController().signal }))
      replay.push(c);
    expect(voice.requests).toBe(1);
    expect(replay.reduce((n, c) => n + c.data.byteLength, 0)).toBe(300);
  });

  it('keeps a clause going for the follower that stays when the other leaves', async () => {
    const voice = new SteppedVoice();
    const cache = new PhraseCache(1 << 20);
    const engine = new CachingTtsEngine('edge', settings, voice, cache);
    const leaving = new AbortController();
    const left = (async () => {
      for await (const _ of engine.synthesize({ text: 'Hello!', signal: leaving.signal })) leaving.abort();
    })();
    let stayed = 0;
    const staying = (async () => {
      for await (const c of engine.synthesize({ text: 'Hello!', signal: new AbortController().signal }))
        stayed += c.data.byteLength;
    })();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      voice.step();
    }
    await Promise.all([left, staying]);
    expect(voice.requests).toBe(1);
    expect(stayed).toBe(300);
    await expect.poll(() => cache.stats().entries).toBe(1);
  });
});

describe('preloading', () => {
  it('steps aside the moment a clause needs the voice, then finishes once it is quiet', async () => {
    const cache = new PhraseCache(1 << 20);
    const preloader = new PhrasePreloader(cache, testLogger(), 10);
    const voice = new AutoVoice();
    const engine = new CachingTtsEngine('edge', settings, voice, cache, preloader);
    voice.hold = true; // the preload's first phrase stays in flight
    preloader.request(engine, ['Hello!', 'Okay!']);
    await expect.poll(() => voice.signals.length).toBe(1);
    const preloadSignal = voice.signals[0]!;
    // A clause of a reply starts: the phrase in flight is abandoned at once, before the clause.
    voice.hold = false;
    const clause: AudioChunk[] = [];
    for await (const c of engine.synthesize({ text: 'A reply.', signal: new AbortController().signal }))
      clause.push(c);
    expect(preloadSignal.aborted).toBe(true);
    expect(clause.length).toBe(3);
    // Quiet again: both phrases are preloaded (the abandoned one tried again).
    await preloader.idle();
    expect(engine.has('Hello!') && engine.has('Okay!')).toBe(true);
    preloader.close();
  });
});

/** Three chunks at once, or, while `hold`, nothing until aborted; remembers every request's signal. */
class AutoVoice implements ProviderEngine<unknown> {
  hold = false;
  readonly signals: AbortSignal[] = [];
  async *synthesize(request: SynthesisRequest): AsyncGenerator<AudioChunk> {
    this.signals.push(request.signal);
    if (this.hold) {
      await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve()));
      return;
    }
    for (let i = 0; i < 3; i++) yield { data: new Uint8Array(50).fill(i + 1), format: MP3 };
  }
  warm(): void {}
  close(): void {}
  updateSettings(): void {}
}
