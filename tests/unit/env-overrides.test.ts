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
