import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhraseCache } from '../../src/main/pipeline/tts/phrase-cache';
import { PHRASE_CACHE_FILE_VERSION, PhraseCacheStore } from '../../src/main/pipeline/tts/phrase-cache-store';
import { MP3, pcmAt } from '../../src/shared/audio-format';
import { testLogger } from '../helpers/pipeline-fixture';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiyo-phrases-'));
  path = join(dir, 'phrase-cache.bin');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const audio = (n: number, fill: number) => new Uint8Array(n).fill(fill);

/** A cache as the app has it after a session, saved to `path`. */
async function savedSession(): Promise<void> {
  const cache = new PhraseCache(1 << 20);
  const store = new PhraseCacheStore(path, cache, testLogger(), 60_000);
  cache.set('edge\nHello!', {
    format: MP3,
    data: audio(3000, 7),
    words: [{ text: 'Hello', offsetMs: 0, durationMs: 300 }],
  });
  cache.set('openai\nOkay!', { format: pcmAt(24_000), data: audio(2000, 9) });
  await store.save();
  store.close();
}

/** A new start: a fresh cache loaded from `path`. */
async function restart(lines: string[] = []): Promise<PhraseCache> {
  const cache = new PhraseCache(1 << 20);
  await new PhraseCacheStore(path, cache, testLogger(lines), 60_000).load();
  return cache;
}

describe('the phrase cache file', () => {
  it('brings every phrase back after a restart, with its format, words and use order', async () => {
    await savedSession();
    const cache = await restart();
    expect([...cache.leastRecentFirst()].map(([k]) => k)).toEqual(['edge\nHello!', 'openai\nOkay!']);
    expect(cache.peek('edge\nHello!')).toEqual({
      format: MP3,
      data: audio(3000, 7),
      words: [{ text: 'Hello', offsetMs: 0, durationMs: 300 }],
    });
    expect(cache.peek('openai\nOkay!')).toEqual({ format: pcmAt(24_000), data: audio(2000, 9) });
  });

  it('is saved by itself a while after the cache changes, leaving no temporary file behind', async () => {
    const cache = new PhraseCache(1 << 20);
    const store = new PhraseCacheStore(path, cache, testLogger(), 20);
    cache.set('k', { format: MP3, data: audio(100, 1) });
    await expect.poll(() => readdirSync(dir), { timeout: 5000 }).toEqual(['phrase-cache.bin']);
    expect((await restart()).has('k')).toBe(true);
    store.close();
  });

  it('read back into a smaller limit, keeps the most recent phrases and rewrites the file without the rest', async () => {
    await savedSession();
    const cache = new PhraseCache(3500); // room for the more recent phrase only
    const store = new PhraseCacheStore(path, cache, testLogger(), 60_000);
    await store.load();
    expect([...cache.leastRecentFirst()].map(([k]) => k)).toEqual(['openai\nOkay!']);
    await store.save();
    expect([...(await restart()).leastRecentFirst()].map(([k]) => k)).toEqual(['openai\nOkay!']);
    store.close();
  });

  it('starts empty without a file, and says nothing about it', async () => {
    const lines: string[] = [];
    const cache = await restart(lines);
    expect(cache.stats().entries).toBe(0);
    expect(lines.filter((l) => l.includes('WARN'))).toEqual([]);
  });

  const damaged: [string, (file: Buffer) => Buffer, RegExp][] = [
    ['truncated (a write cut off half-way)', (f) => f.subarray(0, f.length - 500), /cut short/],
    ['truncated inside its index', (f) => f.subarray(0, 30), /cut short|index is damaged/],
    ['garbage', (f) => Buffer.from(f.map((_, i) => (i * 31 + 7) & 0xff)), /not a phrase cache file/],
    ['empty', () => Buffer.alloc(0), /not a phrase cache file/],
    [
      'from another version',
      (f) => {
        const copy = Buffer.from(f);
        copy.writeUInt32BE(PHRASE_CACHE_FILE_VERSION + 1, 8);
        return copy;
      },
      /another version/,
    ],
    [
      'with flipped audio bytes',
      (f) => {
        const copy = Buffer.from(f);
        const at = copy.length - 10;
        copy.writeUInt8(copy.readUInt8(at) ^ 0xff, at);
        return copy;
      },
      /audio is damaged/,
    ],
  ];
  for (const [what, damage, why] of damaged) {
    it(`${what}: is dropped with a plain log line, the cache starts empty and is rebuilt`, async () => {
      await savedSession();
      const good = readFileSync(path);
      writeFileSync(path, damage(good));
      // The fault is real: the file on disk is no longer the one that was saved.
      expect(readFileSync(path).equals(good)).toBe(false);
      const lines: string[] = [];
      const cache = await restart(lines);
      expect(cache.stats().entries).toBe(0);
      expect(lines.some((l) => l.includes('phrase cache file was not used') && why.test(l))).toBe(true);
      // Rebuilt: the bad file is gone, and the next save writes a good one.
      expect(() => statSync(path)).toThrow();
      const store = new PhraseCacheStore(path, cache, testLogger(), 60_000);
      cache.set('again', { format: MP3, data: audio(50, 3) });
      await store.save();
      expect((await restart()).has('again')).toBe(true);
    });
  }
});
