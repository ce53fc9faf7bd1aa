import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiSpeechServer, type SpeechFault } from '../../src/fakes/fake-openai-speech-server';
import { speakPcm } from '../../src/fakes/fake-speech';
import { Conversation } from '../../src/main/pipeline/conversation';
import { ProviderTtsEngine } from '../../src/main/pipeline/tts/provider-tts-engine';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { parsePipelineSettings, type PipelineSettingsInput } from '../../src/shared/settings';
import type { TtsProviderId } from '../../src/shared/tts-providers/catalog';
import { collect, ofType, testLogger } from '../helpers/pipeline-fixture';
import { useFakes } from '../helpers/use-fakes';

const fakes = useFakes();
let speech: FakeOpenAiSpeechServer;
beforeAll(async () => {
  speech = await FakeOpenAiSpeechServer.start({ ttfbMs: 5, realtimeFactor: 0 });
});
afterAll(() => speech.close());
beforeEach(() => {
  speech.faults.length = 0;
  speech.defaultFault = 'none';
  speech.options.pcmSampleRate = 24_000;
});

/** One clause (no comma), so a voice gets one request for it. */
const TEXT = 'Hello there from Kiyo.';

function conversation(
  provider: TtsProviderId,
  fallback: TtsProviderId[],
  tts: PipelineSettingsInput['tts'] = {},
  lines: string[] = [],
): Conversation {
  const settings = parsePipelineSettings({
    llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake', maxRetries: 0 },
    tts: {
      provider,
      fallback,
      providers: {
        // Generous: the fakes synthesise each new text on first use, slowly on a loaded machine.
        edge: { warmConnections: 1, timeoutMs: 20_000 },
        ...tts.providers,
        openai: {
          baseUrl: speech.url,
          model: 'tts-1',
          voice: 'alloy',
          timeoutMs: 20_000,
          ...tts.providers?.openai,
        },
      },
    },
  });
  const logger = testLogger(lines);
  const engine = new ProviderTtsEngine(settings.tts, { logger, endpoints: { edge: fakes.tts.url } }, 60_000);
  return new Conversation({ settings, logger, tts: engine });
}

const say = (c: Conversation, text = TEXT) => collect(c.runTurn('(test)', { voicePreview: text }));
const audioBytes = (events: PipelineEvent[]) =>
  ofType(events, 'audio').reduce((n, a) => n + a.data.byteLength, 0);

describe('a reply spoken by each provider', () => {
  it('Edge: MP3 from the Edge service', async () => {
    const before = fakes.tts.requests.length;
    const events = await say(conversation('edge', []));
    expect(ofType(events, 'error')).toEqual([]);
    expect(fakes.tts.requests.slice(before).map((r) => r.text)).toContain(TEXT);
    expect(new Set(ofType(events, 'audio').map((a) => a.format.codec))).toEqual(new Set(['mp3']));
  });

  it('OpenAI-compatible: the request OpenAI expects, streamed PCM at the declared rate', async () => {
    speech.options.pcmSampleRate = 22_050;
    const before = speech.requests.length;
    const events = await say(
      conversation('openai', [], {
        providers: { openai: { pcmSampleRate: 22_050, speed: 1.5, instructions: 'Cheerful.' } },
      }),
    );
    expect(ofType(events, 'error')).toEqual([]);
    expect(speech.requests.slice(before)).toEqual([
      {
        model: 'tts-1',
        input: TEXT,
        voice: 'alloy',
        response_format: 'pcm',
        speed: 1.5,
        instructions: 'Cheerful.',
        authorization: 'Bearer no-key',
      },
    ]);
    const audio = ofType(events, 'audio');
    expect(audio.length).toBeGreaterThan(1); // streamed in pieces, not one clause-sized blob
    expect(audio.every((a) => a.format.codec === 'pcm' && a.format.sampleRate === 22_050)).toBe(true);
    // Every sample arrived whole (the fake splits samples across chunks on purpose).
    expect(audio.every((a) => a.data.byteLength % 2 === 0)).toBe(true);
    const { pcm } = await speakPcm(TEXT, 22_050, 1.5);
    expect(Buffer.concat(audio.map((a) => a.data)).equals(Buffer.from(pcm))).toBe(true);
  });

  it('OpenAI-compatible with mp3: MP3 is what it declares', async () => {
    const events = await say(
      conversation('openai', [], { providers: { openai: { responseFormat: 'mp3' } } }),
    );
    expect(ofType(events, 'error')).toEqual([]);
    expect(speech.requests.at(-1)?.response_format).toBe('mp3');
    expect(new Set(ofType(events, 'audio').map((a) => a.format.codec))).toEqual(new Set(['mp3']));
    expect(audioBytes(events)).toBeGreaterThan(1000);
  });

  it('offline: espeak-ng PCM at its own declared rate, no network', async () => {
    const edgeBefore = fakes.tts.requests.length;
    const speechBefore = speech.requests.length;
    const events = await say(conversation('offline', []));
    expect(ofType(events, 'error')).toEqual([]);
    expect(
      ofType(events, 'audio').every((a) => a.format.codec === 'pcm' && a.format.sampleRate === 22_050),
    ).toBe(true);
    expect(audioBytes(events)).toBeGreaterThan(10_000);
    expect(fakes.tts.requests.length).toBe(edgeBefore);
    expect(speech.requests.length).toBe(speechBefore);
  });

  it('switching provider applies from the next reply, without a new conversation', async () => {
    const c = conversation('edge', []);
    const speechBefore = speech.requests.length;
    await say(c);
    expect(speech.requests.length).toBe(speechBefore);
    c.updateSettings(
      parsePipelineSettings({ ...c.currentSettings, tts: { ...c.currentSettings.tts, provider: 'openai' } }),
    );
    const events = await say(c);
    expect(speech.requests.length).toBe(speechBefore + 1);
    expect(ofType(events, 'audio')[0]?.format.codec).toBe('pcm');
    c.close();
  });
});

describe('OpenAI-compatible speech faults: a plain message and the fallback order', () => {
  const cases: [SpeechFault, RegExp][] = [
    ['http-401', /refused the API key \(HTTP 401\)/],
    ['http-429', /too many requests or no credit left \(HTTP 429\)/],
    ['http-500', /failed \(HTTP 500\)/],
    ['drop-mid-stream', /dropped in the middle of a clause/],
    ['slow-first-byte', /sent no audio for 1 s/],
  ];

  it.each(cases)(
    '%s: the fault fires, the notice names the OpenAI-compatible voice, Edge speaks',
    async (fault, message) => {
      speech.faults.push(fault);
      const fired = speech.faultsFired.length;
      const edgeBefore = fakes.tts.requests.length;
      const c = conversation('openai', ['edge', 'offline'], { providers: { openai: { timeoutMs: 1000 } } });
      const events = await say(c);
      c.close();
      expect(speech.faultsFired.slice(fired)).toEqual([fault]);
      const notices = ofType(events, 'notice');
      expect(notices.map((n) => n.code)).toEqual(['tts-offline']);
      expect(notices[0]!.message).toMatch(/^The OpenAI-compatible voice is not answering \(/);
      expect(notices[0]!.message, notices[0]!.message).toMatch(message);
      expect(notices[0]!.message).toMatch(/; using the Edge voice\.$/);
      expect(ofType(events, 'error')).toEqual([]);
      // The next in order spoke the clause.
      expect(fakes.tts.requests.slice(edgeBefore).map((r) => r.text)).toContain(TEXT);
      expect(ofType(events, 'audio').some((a) => a.format.codec === 'mp3')).toBe(true);
    },
  );

  it('when the next voice is down too, the one after it speaks, and each failure is named', async () => {
    speech.faults.push('http-500');
    const fired = speech.faultsFired.length;
    const settings = parsePipelineSettings({
      llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake' },
      tts: {
        provider: 'openai',
        fallback: ['edge', 'offline'],
        providers: {
          openai: { baseUrl: speech.url, model: 'tts-1' },
          edge: { warmConnections: 0, timeoutMs: 2000 },
        },
      },
    });
    const logger = testLogger();
    // Nothing listens on port 9: Edge cannot be reached.
    const engine = new ProviderTtsEngine(
      settings.tts,
      { logger, endpoints: { edge: 'ws://127.0.0.1:9/edge' } },
      60_000,
    );
    const events = await say(new Conversation({ settings, logger, tts: engine }));
    engine.close();
    expect(speech.faultsFired.slice(fired)).toEqual(['http-500']);
    const notices = ofType(events, 'notice').map((n) => n.message);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/^The OpenAI-compatible voice is not answering .*; using the Edge voice\.$/);
    expect(notices[1]).toMatch(/^The Edge voice is not answering .*; using the offline voice\.$/);
    expect(
      ofType(events, 'audio').every((a) => a.format.codec === 'pcm' && a.format.sampleRate === 22_050),
    ).toBe(true);
  });

  it('with no fallback, the turn fails with the plain message', async () => {
    speech.faults.push('http-401');
    const fired = speech.faultsFired.length;
    const events = await say(conversation('openai', []));
    expect(speech.faultsFired.slice(fired)).toEqual(['http-401']);
    const [error] = ofType(events, 'error');
    expect(error).toMatchObject({ code: 'tts-failed', retryable: false });
    expect(error!.message).toBe(
      `The speech server at ${speech.url} refused the API key (HTTP 401). Check the key in Preferences → Voice.`,
    );
  });

  it('a cancelled turn stops the speech response', async () => {
    speech.options.realtimeFactor = 1;
    const text = 'A longer sentence that takes a few seconds to say out loud.';
    const c = conversation('openai', []);
    const controller = new AbortController();
    const events: PipelineEvent[] = [];
    for await (const event of c.runTurn('(test)', {
      voicePreview: text,
      signal: controller.signal,
    })) {
      events.push(event);
      if (event.type === 'audio') controller.abort();
    }
    speech.options.realtimeFactor = 0;
    expect(ofType(events, 'turn-end')[0]?.reason).toBe('cancelled');
    // The server saw the connection go while it was still sending this clause's audio.
    await expect.poll(() => speech.abandonedInputs, { timeout: 10_000 }).toContain(text);
    c.close();
  });
});

describe('a speech API key', () => {
  it('goes only to the origin it was entered for', async () => {
    const KEY = 'sk-speech-test-0123456789';
    const other = await FakeOpenAiSpeechServer.start({ ttfbMs: 5, realtimeFactor: 0 });
    try {
      const bound = { apiKey: KEY, apiKeyOrigin: new URL(speech.url).origin };
      const events = await say(conversation('openai', [], { providers: { openai: bound } }));
      expect(ofType(events, 'error')).toEqual([]);
      expect(speech.requests.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
      // The base URL moved to another server (another port is another origin): no key goes there.
      const moved = await say(
        conversation('openai', [], { providers: { openai: { ...bound, baseUrl: other.url } } }),
      );
      expect(ofType(moved, 'error')).toEqual([]);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]!.authorization).toBe('Bearer no-key');
      expect(JSON.stringify(moved)).not.toContain(KEY);
    } finally {
      await other.close();
    }
  });
});

describe('the fake speech endpoint is as strict as the real one', () => {
  const post = (body: unknown) =>
    fetch(`${speech.url}/audio/speech`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it.each([
    ['no model', { input: 'hi', voice: 'alloy' }, /'model'/],
    ['no input', { model: 'tts-1', voice: 'alloy' }, /'input'/],
    ['no voice', { model: 'tts-1', input: 'hi' }, /'voice'/],
    ['4,097 characters', { model: 'tts-1', input: 'x'.repeat(4097), voice: 'alloy' }, /maximum length 4096/],
    [
      'an unknown format',
      { model: 'tts-1', input: 'hi', voice: 'alloy', response_format: 'ogg' },
      /Supported values are/,
    ],
    ['speed 5', { model: 'tts-1', input: 'hi', voice: 'alloy', speed: 5 }, /'speed'/],
  ])('refuses a body with %s (HTTP 400)', async (_what, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: { message: string } };
    expect(json.error.message).toMatch(message);
  });
});
