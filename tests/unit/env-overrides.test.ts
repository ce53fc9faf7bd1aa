import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/pipeline/logger';
import { envOverrides } from '../../src/main/settings/env-overrides';
import { defaultPipelineSettings } from '../../src/shared/settings';

function withLog(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (level, line) => lines.push(`${level} ${line}`) });
  return { overrides: envOverrides(env, logger), lines };
}

describe('environment overrides', () => {
  it('apply valid values for this run and keep the saved ones for storage', () => {
    const saved = defaultPipelineSettings();
    const { overrides, lines } = withLog({
      KIYO_LLM_BASE_URL: 'http://127.0.0.1:40321/v1',
      KIYO_LLM_MODEL: 'kiyo-fake',
    });
    const runtime = overrides.apply(saved);
    expect(runtime.llm.baseUrl).toBe('http://127.0.0.1:40321/v1');
    expect(runtime.llm.model).toBe('kiyo-fake');
    expect(overrides.active).toEqual(['KIYO_LLM_BASE_URL', 'KIYO_LLM_MODEL']);
    expect(overrides.forStorage(runtime, saved).llm).toEqual(saved.llm);
    expect(lines.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it.each([
    ['KIYO_LLM_BASE_URL', 'file:///etc/passwd'],
    ['KIYO_LLM_BASE_URL', 'javascript:alert(1)'],
    ['KIYO_LLM_BASE_URL', 'not a url'],
    ['KIYO_LLM_BASE_URL', 'https://user:secret@example.com/v1'],
    ['KIYO_LLM_MODEL', 'm'.repeat(201)],
    ['KIYO_API_KEY', 'sk-abc\ndef'],
  ])('%s=%j is ignored with a plain message in the log', (variable, value) => {
    const saved = defaultPipelineSettings();
    const { overrides, lines } = withLog({ [variable]: value });
    const runtime = overrides.apply(saved);
    // Nothing of it reaches the settings in use.
    expect(runtime).toEqual(saved);
    expect(overrides.active).toEqual([]);
    const warnings = lines.filter((l) => l.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${variable} is ignored`);
    // The value itself stays out of the log (it may be a key).
    expect(warnings[0]).not.toContain(value);
  });
});

describe('KIYO_API_KEY and the key binding', () => {
  it('binds the key given for this run to the server of this run, and stores the saved binding back', () => {
    const saved = defaultPipelineSettings();
    saved.llm = { ...saved.llm, apiKey: 'sk-saved-0123456789', apiKeyOrigin: 'https://api.openai.com' };
    const { overrides } = withLog({
      KIYO_LLM_BASE_URL: 'http://127.0.0.1:40321/v1',
      KIYO_API_KEY: 'sk-run-0123456789',
    });
    const runtime = overrides.apply(saved);
    expect(runtime.llm).toMatchObject({
      apiKey: 'sk-run-0123456789',
      apiKeyOrigin: 'http://127.0.0.1:40321',
    });
    expect(overrides.forStorage(runtime, saved).llm).toEqual(saved.llm);
  });

  it('without KIYO_API_KEY a saved key keeps its own binding, so a run against another server gets no key', () => {
    const saved = defaultPipelineSettings();
    saved.llm = { ...saved.llm, apiKey: 'sk-saved-0123456789', apiKeyOrigin: 'https://api.openai.com' };
    const runtime = withLog({ KIYO_LLM_BASE_URL: 'http://127.0.0.1:40321/v1' }).overrides.apply(saved);
    expect(runtime.llm.apiKeyOrigin).toBe('https://api.openai.com');
  });

  it('take the Edge endpoint and voice list from the environment only when they are URLs of the right kind', () => {
    const good = withLog({
      KIYO_TTS_ENDPOINT: 'ws://127.0.0.1:40999/edge/v1',
      KIYO_TTS_VOICES_URL: 'http://127.0.0.1:40999/voices/list',
    });
    expect(good.overrides.ttsEndpoint).toBe('ws://127.0.0.1:40999/edge/v1');
    expect(good.overrides.voicesUrl).toBe('http://127.0.0.1:40999/voices/list');
    expect(good.lines).toEqual([]);

    const bad = withLog({
      KIYO_TTS_ENDPOINT: 'file:///etc/passwd',
      KIYO_TTS_VOICES_URL: 'file:///etc/passwd',
    });
    expect(bad.overrides.ttsEndpoint).toBeUndefined();
    expect(bad.overrides.voicesUrl).toBeUndefined();
    expect(bad.lines.filter((l) => l.startsWith('warn') && l.includes('is ignored'))).toHaveLength(2);
  });
});

describe('KIYO_STT_BASE_URL', () => {
  it('points this run’s speech-to-text at another server and stores the saved address back', () => {
    const saved = defaultPipelineSettings();
    saved.stt.providers.openai = {
      ...saved.stt.providers.openai,
      apiKey: 'sk-saved-0123456789',
      apiKeyOrigin: 'https://api.openai.com',
    };
    const { overrides, lines } = withLog({ KIYO_STT_BASE_URL: 'http://127.0.0.1:40500/v1' });
    const runtime = overrides.apply(saved);
    expect(runtime.stt.providers.openai.baseUrl).toBe('http://127.0.0.1:40500/v1');
    // The saved key keeps its own binding: it is not sent to the run's server.
    expect(runtime.stt.providers.openai.apiKeyOrigin).toBe('https://api.openai.com');
    expect(saved.stt.providers.openai.baseUrl).not.toBe('http://127.0.0.1:40500/v1');
    expect(overrides.active).toEqual(['KIYO_STT_BASE_URL']);
    expect(overrides.forStorage(runtime, saved).stt).toEqual(saved.stt);
    expect(lines).toEqual([]);
  });

  it('keeps an address the user typed during the run', () => {
    const saved = defaultPipelineSettings();
    const { overrides } = withLog({ KIYO_STT_BASE_URL: 'http://127.0.0.1:40500/v1' });
    const runtime = overrides.apply(saved);
    runtime.stt.providers.openai.baseUrl = 'https://api.groq.com/openai/v1';
    expect(overrides.forStorage(runtime, saved).stt.providers.openai.baseUrl).toBe(
      'https://api.groq.com/openai/v1',
    );
  });

  it('is ignored, with a plain message, when it is not an http(s) address without credentials', () => {
    const saved = defaultPipelineSettings();
    const { overrides, lines } = withLog({ KIYO_STT_BASE_URL: 'https://user:secret@example.com/v1' });
    expect(overrides.apply(saved)).toEqual(saved);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('KIYO_STT_BASE_URL is ignored');
    expect(lines[0]).not.toContain('secret');
  });
});
