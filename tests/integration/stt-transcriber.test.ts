import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeOpenAiTranscriptionServer,
  utteranceSpeech,
  utteranceWav,
  type TranscriptionFault,
} from '../../src/fakes/fake-openai-transcription-server';
import { PipelineError } from '../../src/main/pipeline/pipeline-error';
import { OpenAiTranscriber } from '../../src/main/pipeline/stt/openai-transcriber';
import { pcmBytes, wavFile } from '../../src/main/pipeline/tts/pcm';
import type { ErrorCode } from '../../src/shared/pipeline-events';
import {
  openaiTranscriptionSettingsSchema,
  type OpenAiTranscriptionSettings,
} from '../../src/shared/stt-providers/openai';
import { testLogger } from '../helpers/pipeline-fixture';

const HELLO = 'Hello Kiyo, how are you today?';
const WEATHER = 'What is the weather like in Tokyo?';

let fake: FakeOpenAiTranscriptionServer;
let hello: Int16Array;
let weather: Int16Array;
beforeAll(async () => {
  fake = await FakeOpenAiTranscriptionServer.start({ latencyMs: 5, perAudioSecondMs: 0 });
  hello = await fake.register(HELLO);
  weather = await fake.register(WEATHER);
}, 60_000);
afterAll(() => fake.close());
beforeEach(() => {
  fake.faults.length = 0;
  fake.defaultFault = 'none';
  fake.options.apiKey = undefined;
});

function transcriber(overrides: Partial<OpenAiTranscriptionSettings> = {}, lines: string[] = []) {
  const settings = openaiTranscriptionSettingsSchema.parse({
    baseUrl: fake.url,
    model: 'whisper-1',
    timeoutMs: 2000,
    ...overrides,
  });
  return new OpenAiTranscriber(() => settings, testLogger(lines));
}

const never = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
}

describe('OpenAI-compatible transcriber against the fake transcription server', () => {
  it('returns the sentence the utterance was synthesised from, with pre-roll and hangover around it', async () => {
    expect(await transcriber().transcribe(utteranceWav(hello), never())).toBe(HELLO);
    expect(await transcriber().transcribe(utteranceWav(weather, { leadMs: 300, tailMs: 900 }), never())).toBe(
      WEATHER,
    );
    const request = fake.requests.at(-1)!;
    expect(request).toMatchObject({ model: 'whisper-1', filename: 'utterance.wav', responseFormat: 'json' });
    expect(request.language).toBeUndefined();
  });

  it('recognises the utterance after gain change and added noise (as a microphone records it again)', async () => {
    const rerecorded = hello.map((s, i) => Math.round(s * 0.4 + ((i * 7919) % 200) - 100));
    expect(await transcriber().transcribe(utteranceWav(rerecorded), never())).toBe(HELLO);
  });

  it('answers silence and unknown sound with no words (stt-empty)', async () => {
    const silence = new Int16Array(16_000);
    expect((await failure(transcriber().transcribe(utteranceWav(silence), never()))).code).toBe('stt-empty');
    expect(fake.requests.at(-1)!.transcript).toBe('');
    const other = (await utteranceSpeech('Bananas and apples are on sale at the corner shop this week.'))
      .samples;
    expect((await failure(transcriber().transcribe(utteranceWav(other), never()))).code).toBe('stt-empty');
    expect(fake.requests.at(-1)!.transcript).toBe('');
  });

  it('sends the language when one is set', async () => {
    await transcriber({ language: 'en' }).transcribe(utteranceWav(hello), never());
    expect(fake.requests.at(-1)!.language).toBe('en');
  });

  it('sends the key as a Bearer token to the origin it is bound to, and nowhere else', async () => {
    fake.options.apiKey = 'sk-stt-test-key-123456';
    const origin = new URL(fake.url).origin;
    const bound = transcriber({ apiKey: 'sk-stt-test-key-123456', apiKeyOrigin: origin });
    expect(await bound.transcribe(utteranceWav(hello), never())).toBe(HELLO);
    expect(fake.requests.at(-1)!.authorization).toBe('Bearer sk-stt-test-key-123456');
    const lines: string[] = [];
    const elsewhere = transcriber(
      { apiKey: 'sk-stt-test-key-123456', apiKeyOrigin: 'https://api.openai.com' },
      lines,
    );
    expect((await failure(elsewhere.transcribe(utteranceWav(hello), never()))).code).toBe('stt-auth');
    expect(fake.requests.at(-1)!.authorization).not.toContain('sk-stt-test-key-123456');
    expect(lines.join('\n')).toMatch(/not sent to/);
  });

  const FAULTS: [TranscriptionFault, ErrorCode][] = [
    ['http-401', 'stt-auth'],
    ['http-429', 'stt-rate-limit'],
    ['http-500', 'stt-server'],
    ['timeout', 'stt-timeout'],
    ['stall-after-headers', 'stt-timeout'],
    ['malformed', 'stt-server'],
    ['empty', 'stt-empty'],
  ];
  it.each(FAULTS)('fault %s surfaces as %s, retryable', async (fault, code) => {
    const fired = fake.faultsFired.length;
    const requests = fake.requests.length;
    fake.faults.push(fault);
    const error = await failure(transcriber({ timeoutMs: 1000 }).transcribe(utteranceWav(hello), never()));
    expect(fake.faultsFired.slice(fired)).toEqual([fault]);
    expect(fake.requests.length).toBe(requests + 1); // no silent retry
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(true);
    if (fault === 'http-429') expect(error.message).toMatch(/wait 1 s/);
  });

  it('maps a refused recording to stt-bad-request and an unreachable server to stt-connection', async () => {
    const refused = fake.refused.length;
    const stereo = wavFile(pcmBytes(new Int16Array(32_000)), 16_000);
    new DataView(stereo.buffer).setUint16(22, 2, true);
    const bad = await failure(transcriber().transcribe(stereo, never()));
    expect(fake.refused.length).toBe(refused + 1);
    expect(bad.code).toBe('stt-bad-request');
    const gone = await failure(
      transcriber({ baseUrl: 'http://127.0.0.1:9/v1' }).transcribe(utteranceWav(hello), never()),
    );
    expect(gone.code).toBe('stt-connection');
  });

  it('stops at once when the turn is cancelled, with an abort and not an stt error', async () => {
    fake.faults.push('timeout');
    const controller = new AbortController();
    const abandoned = fake.abandoned;
    const pending = transcriber({ timeoutMs: 30_000 }).transcribe(utteranceWav(hello), controller.signal);
    await expect.poll(() => fake.faultsFired.at(-1)).toBe('timeout');
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PipelineError);
    await expect.poll(() => fake.abandoned).toBe(abandoned + 1);
  });
});
