import { describe, expect, it } from 'vitest';
import { FirstSound } from '../../src/main/pipeline/first-sound';
import { PhraseCache, type CachedPhrase } from '../../src/main/pipeline/tts/phrase-cache';
import { phraseKey, voiceKey } from '../../src/main/pipeline/tts/phrase-key';
import type { AudioChunk } from '../../src/main/pipeline/tts/tts-engine';
import { MP3 } from '../../src/shared/audio-format';
import { defaultPipelineSettings } from '../../src/shared/settings';

const phrase = (bytes: number, fill = 1): CachedPhrase => ({
  format: MP3,
  data: new Uint8Array(bytes).fill(fill),
});
/** Keys are short here, so an entry's size is its audio plus a few bytes. */
const keys = (cache: PhraseCache) => [...cache.leastRecentFirst()].map(([k]) => k);

describe('the phrase cache', () => {
  it('evicts the least recently used phrases to stay within its size in bytes', () => {
    const cache = new PhraseCache(4000);
    cache.set('a', phrase(900));
    cache.set('b', phrase(900));
    cache.set('c', phrase(900));
    cache.set('d', phrase(900));
    expect(keys(cache)).toEqual(['a', 'b', 'c', 'd']);
    cache.lookup('a'); // used: now the most recent
    cache.set('e', phrase(900));
    expect(keys(cache)).toEqual(['c', 'd', 'a', 'e']);
    expect(cache.stats().bytes).toBeLessThanOrEqual(4000);
  });

  it('refuses one phrase too large for it rather than evicting everything else', () => {
    const cache = new PhraseCache(4000);
    cache.set('a', phrase(900));
    expect(cache.set('huge', phrase(3000))).toBe(false);
    expect(keys(cache)).toEqual(['a']);
  });

  it('shrinks to a smaller limit at once, and holds nothing at 0 (off)', () => {
    const cache = new PhraseCache(4000);
    for (const k of ['a', 'b', 'c']) cache.set(k, phrase(900));
    cache.resize(2000);
    expect(keys(cache)).toEqual(['b', 'c']);
    cache.resize(0);
    expect(keys(cache)).toEqual([]);
    expect(cache.set('d', phrase(10))).toBe(false);
  });

  it('counts hits and misses of clause lookups, not of filler peeks', () => {
    const cache = new PhraseCache(4000);
    cache.set('a', phrase(10));
    cache.lookup('a');
    cache.lookup('b');
    cache.peek('a');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });
});

describe('phrase keys', () => {
  const { providers } = defaultPipelineSettings().tts;
  const key = (edge: Partial<typeof providers.edge>, text = 'Okay!') =>
    phraseKey(voiceKey('edge', { ...providers.edge, ...edge }), text);

  it('differ by voice, rate, pitch, format and exact text, but not by connection tuning', () => {
    const base = key({});
    expect(key({ voice: 'en-US-JennyNeural' })).not.toBe(base);
    expect(key({ rate: 10 })).not.toBe(base);
    expect(key({ pitch: 5 })).not.toBe(base);
    expect(key({ outputFormat: 'audio-24khz-96kbitrate-mono-mp3' })).not.toBe(base);
    expect(key({}, 'Okay.')).not.toBe(base);
    expect(key({}, 'okay!')).not.toBe(base);
    expect(key({ warmConnections: 0, timeoutMs: 20_000 })).toBe(base);
  });

  it('differ by provider, and never contain an API key or an address with credentials', () => {
    const openai = {
      ...providers.openai,
      apiKey: 'sk-secret-123',
      baseUrl: 'https://kiyo:hunter2@speech.example/v1',
    };
    expect(voiceKey('openai', openai)).not.toMatch(/sk-secret-123|hunter2|speech\.example/);
    expect(voiceKey('openai', openai)).not.toBe(
      voiceKey('openai', { ...openai, baseUrl: 'https://other/v1' }),
    );
    expect(voiceKey('openai', openai)).not.toBe(voiceKey('offline', providers.offline));
  });
});

describe('choosing a filler', () => {
  const chunk: AudioChunk[] = [{ data: new Uint8Array(10), format: MP3 }];
  const allCached = () => chunk;

  it('never picks the same filler twice in a row, even when chance would', () => {
    const first = new FirstSound(() => 0); // always the first candidate
    const picks = Array.from(
      { length: 6 },
      () => first.choose(['Hmm,', 'Oh,', 'Well,'], allCached, 4096)!.text,
    );
    for (let i = 1; i < picks.length; i++) expect(picks[i]).not.toBe(picks[i - 1]);
    expect(new Set(picks).size).toBeGreaterThan(1);
  });

  it('only picks a cached filler, and none when none is cached', () => {
    const chooser = new FirstSound(() => 0);
    const onlyWell = (text: string) => (text === 'Well,' ? chunk : undefined);
    expect(chooser.choose(['Hmm,', 'Well,'], onlyWell, 4096)?.text).toBe('Well,');
    expect(chooser.choose(['Hmm,'], () => undefined, 4096)).toBeUndefined();
  });

  it('cuts the filler into chunks no larger than the audio message limit', () => {
    const big: AudioChunk[] = [{ data: new Uint8Array(5000), format: MP3 }];
    const filler = new FirstSound().choose(['Hmm,'], () => big, 1024)!;
    expect(filler.chunks.map((c) => c.data.byteLength)).toEqual([1024, 1024, 1024, 1024, 904]);
  });
});
