import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_REPLIES, replyLanguageOf } from '../../src/fakes/canned-replies';
import { FakeEdgeTtsServer } from '../../src/fakes/fake-edge-tts-server';
import { FakeOpenAiServer } from '../../src/fakes/fake-openai-server';
import { encodeMp3, SAMPLE_RATE } from '../../src/fakes/fake-speech';
import { createLogger } from '../../src/main/pipeline/logger';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { espeakWav } from '../../src/main/pipeline/tts/espeak-wasm';
import { parseWav, resample } from '../../src/main/pipeline/tts/pcm';
import { parsePipelineSettings } from '../../src/shared/settings';

/** The fakes answer and speak in the user's language, so CJK can be heard and benchmarked. */

describe('the language of a message, from its script', () => {
  it.each([
    ['Good morning!', 'en'],
    ['你好，今天怎么样？', 'zh'],
    ['こんにちは', 'ja'],
    ['日本語を話しますか', 'ja'], // kanji with kana is Japanese
    ['カタカナ', 'ja'],
    ['Kiyo, 你好', 'zh'],
    ['', 'en'],
  ] as const)('%j → %s', (text, language) => {
    expect(replyLanguageOf(text)).toBe(language);
  });
});

describe('the fake LLM answers in the language of the last user message', () => {
  let llm: FakeOpenAiServer;
  beforeAll(async () => {
    llm = await FakeOpenAiServer.start({ ttftMs: 0, tokensPerSecond: 100_000 });
  });
  afterAll(() => llm.close());

  async function ask(messages: { role: string; content: string }[]): Promise<string> {
    const response = await fetch(`${llm.url}/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'kiyo-fake', messages, stream: false }),
    });
    return ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
      .content;
  }
  const persona = { role: 'system', content: 'You are Kiyo, a cheerful VTuber. Answer briefly.' };

  it('Chinese, Japanese and English prompts get replies in kind, in a fixed order', async () => {
    llm.setReplies(CHAT_REPLIES);
    // An English persona and earlier English turns do not decide: the last user message does.
    const history = [persona, { role: 'user', content: 'Hi!' }, { role: 'assistant', content: 'Hello!' }];
    expect(await ask([...history, { role: 'user', content: '你好，今天怎么样？' }])).toBe(CHAT_REPLIES.zh[0]);
    expect(await ask([persona, { role: 'user', content: 'おはよう！元気？' }])).toBe(CHAT_REPLIES.ja[1]);
    expect(await ask([persona, { role: 'user', content: 'Good morning!' }])).toBe(CHAT_REPLIES.en[2]);
    expect(replyLanguageOf(CHAT_REPLIES.zh.join(''))).toBe('zh');
    expect(replyLanguageOf(CHAT_REPLIES.ja.join(''))).toBe('ja');
  });

  it('is the default: a fresh fake with no scripted replies answers a Chinese prompt in Chinese', async () => {
    const fresh = await FakeOpenAiServer.start({ ttftMs: 0, tokensPerSecond: 100_000 });
    try {
      const response = await fetch(`${fresh.url}/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '你好' }], stream: false }),
      });
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]!.message.content).toBe(CHAT_REPLIES.zh[0]);
    } finally {
      await fresh.close();
    }
  });
});

describe('the fake Edge server speaks with the language of the requested voice', () => {
  let edge: FakeEdgeTtsServer;
  beforeAll(async () => {
    edge = await FakeEdgeTtsServer.start({ ttfbMs: 0, realtimeFactor: 0 });
  });
  afterAll(() => edge.close());

  async function synthesize(voice: string, text: string): Promise<Buffer> {
    const settings = parsePipelineSettings({ tts: { providers: { edge: { voice, warmConnections: 0 } } } });
    const engine = new EdgeTtsEngine(settings.tts.providers.edge, createLogger({ level: 'error' }), edge.url);
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of engine.synthesize({ text, signal: new AbortController().signal }))
        chunks.push(chunk.data);
    } finally {
      engine.close();
    }
    return Buffer.concat(chunks);
  }

  /** What espeak-ng says with `espeakVoice`, encoded as the fake encodes it. */
  async function espeakMp3(text: string, espeakVoice: string): Promise<Buffer> {
    const wav = await espeakWav(text, { voice: espeakVoice });
    return Buffer.from(encodeMp3(resample(parseWav(wav), SAMPLE_RATE), 48));
  }

  it.each([
    ['zh-CN-XiaoxiaoNeural', 'cmn', '今天天气很好。'],
    ['ja-JP-NanamiNeural', 'ja', 'こんにちは、元気ですか。'],
    ['en-GB-SoniaNeural', 'en-gb', 'Good morning.'],
  ])('%s → espeak-ng voice %s', async (voice, espeakVoice, text) => {
    const audio = await synthesize(voice, text);
    expect(edge.requests.at(-1)).toMatchObject({ voice, text });
    expect(audio.equals(await espeakMp3(text, espeakVoice))).toBe(true);
    // And not what the default English voice makes of the same text.
    expect(audio.equals(await espeakMp3(text, 'en-us'))).toBe(false);
  });
});
