import { describe, expect, it } from 'vitest';
import { parseSayArgs, type SayOptions } from '../../src/cli/say-options';

function run(argv: string[], env: Record<string, string> = {}): SayOptions {
  const args = parseSayArgs(argv, env);
  if (args.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(args)}`);
  return args.options;
}

function refusal(argv: string[], env: Record<string, string> = {}): string {
  const args = parseSayArgs(argv, env);
  if (args.kind !== 'refused') throw new Error(`expected a refusal, got ${JSON.stringify(args)}`);
  return args.message;
}

describe('npm run say: which upstreams', () => {
  it('--fake is both fakes; --fake-llm and --fake-tts one each', () => {
    expect(run(['hi', '--fake'])).toMatchObject({ fakeLlm: true, fakeTts: true });
    expect(run(['hi', '--fake-llm'])).toMatchObject({ fakeLlm: true, fakeTts: false });
    expect(run(['hi', '--fake-tts'])).toMatchObject({ fakeLlm: false, fakeTts: true });
    expect(run(['hi'])).toMatchObject({ fakeLlm: false, fakeTts: false, ttsEndpoint: undefined });
  });

  it('honours KIYO_TTS_ENDPOINT when the speech is not the fake', () => {
    const env = { KIYO_TTS_ENDPOINT: 'ws://127.0.0.1:4000/edge/v1' };
    expect(run(['hi'], env).ttsEndpoint).toBe('ws://127.0.0.1:4000/edge/v1');
    expect(run(['hi', '--fake-llm'], env).ttsEndpoint).toBe('ws://127.0.0.1:4000/edge/v1');
  });

  it('says so when a fake replaces an endpoint from the environment', () => {
    const env = {
      KIYO_TTS_ENDPOINT: 'ws://127.0.0.1:4000/edge/v1',
      KIYO_LLM_BASE_URL: 'http://127.0.0.1:5/v1',
    };
    const options = run(['hi', '--fake'], env);
    expect(options.ttsEndpoint).toBeUndefined();
    expect(options.llm.baseUrl).toBeUndefined();
    expect(options.notes).toEqual([
      'KIYO_LLM_BASE_URL is not used: --fake answers with the fake LLM',
      'KIYO_TTS_ENDPOINT is not used: --fake speaks with the fake',
    ]);
  });

  it('takes the LLM from --base-url, else KIYO_LLM_BASE_URL / KIYO_LLM_MODEL / KIYO_API_KEY like the app', () => {
    const env = {
      KIYO_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      KIYO_LLM_MODEL: 'llama3.2',
      KIYO_API_KEY: 'k1',
      OPENAI_API_KEY: 'k2',
    };
    expect(run(['hi'], env).llm).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.2',
      apiKey: 'k1',
    });
    expect(run(['hi', '--base-url', 'http://127.0.0.1:1234/v1', '--model', 'm'], env).llm).toEqual({
      baseUrl: 'http://127.0.0.1:1234/v1',
      model: 'm',
      apiKey: 'k1',
    });
    expect(run(['hi'], { OPENAI_API_KEY: 'k2' }).llm).toEqual({ apiKey: 'k2' });
    expect(run(['hi', '--fake-llm']).llm).toEqual({ model: 'kiyo-fake' });
  });

  it('reads the message, voice, mode and output', () => {
    expect(
      run(['Good', 'morning!', '--voice', 'ja-JP-NanamiNeural', '--no-stream', '--out', 'x.mp3']),
    ).toMatchObject({
      input: 'Good morning!',
      voice: 'ja-JP-NanamiNeural',
      streaming: false,
      out: 'x.mp3',
    });
  });
});

describe('npm run say: contradictions are refused with a plain message (exit 2), never silently resolved', () => {
  it('a fake LLM and --base-url', () => {
    expect(refusal(['hi', '--fake-llm', '--base-url', 'http://127.0.0.1:1/v1'])).toMatch(
      /^--fake-llm starts a local fake LLM, so it cannot be combined with --base-url http:\/\/127.0.0.1:1\/v1/,
    );
    expect(refusal(['hi', '--fake', '--base-url', 'http://127.0.0.1:1/v1'])).toMatch(
      /^--fake starts a local fake LLM.*--fake-tts keeps the fake speech with your LLM/,
    );
  });

  it('but a fake TTS with --base-url is a valid mix', () => {
    expect(run(['hi', '--fake-tts', '--base-url', 'http://127.0.0.1:1/v1']).llm.baseUrl).toBe(
      'http://127.0.0.1:1/v1',
    );
  });

  it('no message, an unknown flag, an empty value, a KIYO_TTS_ENDPOINT that is not a WebSocket URL', () => {
    expect(refusal([])).toMatch(/^Say what\?/);
    expect(refusal(['hi', '--fakes'])).toMatch(/Unknown option '--fakes'/);
    expect(refusal(['hi', '--out', ''])).toBe('--out needs a value.');
    expect(refusal(['hi'], { KIYO_TTS_ENDPOINT: 'http://127.0.0.1:4000' })).toMatch(
      /KIYO_TTS_ENDPOINT must be a ws:\/\/ or wss:\/\/ URL/,
    );
  });

  it('--help is not a refusal', () => {
    expect(parseSayArgs(['--help'], {})).toMatchObject({
      kind: 'help',
      text: expect.stringMatching(/--fake-tts/),
    });
  });
});
