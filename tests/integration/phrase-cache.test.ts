import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/shared/bytes';
import type { AudioChunk } from '../../src/main/pipeline/tts/tts-engine';
import { cachedConversation, cachedProviders } from '../helpers/cached-voice';
import { assertEventOrder, audioOf, collect, ofType } from '../helpers/pipeline-fixture';
import { useFakes } from '../helpers/use-fakes';

const fakes = useFakes();

async function speakAll(chunks: AsyncIterable<AudioChunk>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk.data);
  return concatBytes(parts);
}

const requestsFor = (text: string) => fakes.tts.requests.filter((r) => r.text === text).length;

describe('the phrase cache in front of the voice', () => {
  it('synthesises a phrase asked for by two clauses at the same time once, and both get all of it', async () => {
    const { tts, cache, conversation } = cachedConversation(fakes);
    const text = 'Two clauses want this one at once.';
    const signal = new AbortController().signal;
    const [a, b] = await Promise.all([
      speakAll(tts.synthesize({ text, signal })),
      speakAll(tts.synthesize({ text, signal })),
    ]);
    conversation.close();
    expect(requestsFor(text)).toBe(1);
    expect(a.byteLength).toBeGreaterThan(1000);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    await expect.poll(() => cache.stats().entries).toBe(1);
  });

  it('plays a clause it has cached with no request to the voice service', async () => {
    const { tts, cache, conversation } = cachedConversation(fakes, {
      phraseCache: { preloadPhrases: ['Sounds good to me!'] },
    });
    await tts.preloader!.idle();
    expect(cache.stats().entries).toBe(1);
    const requests = fakes.tts.requests.length;
    fakes.llm.setReplies(['Sounds good to me!']);
    const events = await collect(conversation.runTurn('shall we?'));
    conversation.close();
    assertEventOrder(events);
    expect(ofType(events, 'segment').map((s) => s.spokenText)).toEqual(['Sounds good to me!']);
    expect(fakes.tts.requests.length).toBe(requests);
    const [, cached] = [...cache.leastRecentFirst()][0]!;
    expect(audioOf(events, 0).equals(Buffer.from(cached!.data))).toBe(true);
    expect(cache.stats().hits).toBe(1);
    // The voice's word timings were kept with the audio: the cached clause's words still highlight.
    expect(ofType(events, 'words').flatMap((w) => w.words.map((x) => x.text))).toEqual([
      'Sounds',
      'good',
      'to',
      'me',
    ]);
  });

  it('replays a clause from an earlier reply without asking again', async () => {
    const { cache, conversation } = cachedConversation(fakes);
    const reply = 'I remember this sentence.';
    fakes.llm.setReplies([reply, reply]);
    const first = await collect(conversation.runTurn('one'));
    await expect.poll(() => cache.stats().entries).toBe(1);
    const requests = requestsFor(reply);
    const second = await collect(conversation.runTurn('two'));
    conversation.close();
    expect(requests).toBeGreaterThan(0); // the first reply asked the service
    expect(requestsFor(reply)).toBe(requests);
    expect(audioOf(second, 0).equals(audioOf(first, 0))).toBe(true);
  });

  it('never stores audio that failed: the next clause asks the service again', async () => {
    const { tts, cache, conversation } = cachedConversation(fakes);
    const text = 'This one fails the first time.';
    fakes.tts.defaultFault = 'close-on-request';
    try {
      await expect(
        speakAll(tts.synthesize({ text, signal: new AbortController().signal })),
      ).rejects.toThrow();
    } finally {
      fakes.tts.defaultFault = 'none';
    }
    expect(requestsFor(text)).toBeGreaterThan(0); // the fault happened on a real request
    expect(cache.stats().entries).toBe(0);
    const before = requestsFor(text);
    expect(
      (await speakAll(tts.synthesize({ text, signal: new AbortController().signal }))).byteLength,
    ).toBeGreaterThan(0);
    conversation.close();
    expect(requestsFor(text)).toBe(before + 1);
    await expect.poll(() => cache.stats().entries).toBe(1);
  });

  it("keeps a fallback voice's audio under that voice's key, never under the chosen voice's", async () => {
    const { cache, conversation } = cachedConversation(fakes, { tts: { fallback: ['offline'] } });
    fakes.tts.defaultFault = 'close-on-request';
    fakes.llm.setReplies(['Spoken by the offline voice.']);
    let events;
    try {
      events = await collect(conversation.runTurn('edge is down'));
    } finally {
      fakes.tts.defaultFault = 'none';
    }
    conversation.close();
    // The fault happened: Edge refused and the offline voice spoke the clause.
    expect(ofType(events, 'notice').map((n) => n.code)).toContain('tts-offline');
    expect(audioOf(events, 0).byteLength).toBeGreaterThan(0);
    await expect.poll(() => cachedProviders(cache)).toEqual(['offline']);
  });

  it('preloads the common phrases again for a new voice, and only what the voice lacks', async () => {
    const { tts, cache, conversation, settings } = cachedConversation(fakes, {
      phraseCache: { preloadPhrases: ['Hello there!', 'See you!'] },
    });
    await tts.preloader!.idle();
    expect(cache.stats().entries).toBe(2);
    const requests = fakes.tts.requests.length;
    conversation.updateSettings(settings); // nothing changed: nothing to preload
    await tts.preloader!.idle();
    expect(fakes.tts.requests.length).toBe(requests);
    conversation.updateSettings({
      ...settings,
      tts: {
        ...settings.tts,
        providers: { ...settings.tts.providers, edge: { ...settings.tts.providers.edge, rate: 10 } },
      },
    });
    await tts.preloader!.idle();
    conversation.close();
    expect(
      fakes.tts.requests
        .slice(requests)
        .map((r) => r.text)
        .sort(),
    ).toEqual(['Hello there!', 'See you!']);
    expect(cache.stats().entries).toBe(4);
  });
});
