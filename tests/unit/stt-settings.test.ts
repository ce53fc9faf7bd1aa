import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  loadSettings,
  redactForRenderer,
  toStoredDocument,
  withoutPlainTextKeys,
} from '../../src/main/settings/settings-persistence';
import { defaultPipelineSettings, parsePipelineSettings } from '../../src/shared/settings';
import { fakeCipher } from '../helpers/fake-cipher';

const KEY = 'gsk_unit0123456789abcdefgh';
const GROQ = 'https://api.groq.com/openai/v1';

describe('speech-to-text settings and key', () => {
  it('defaults: listening muted, OpenAI-compatible transcription with no key', () => {
    const settings = defaultPipelineSettings();
    expect(settings.listen).toMatchObject({ mode: 'muted', endSilenceMs: 500, preRollMs: 400 });
    expect(settings.stt.provider).toBe('openai');
    expect(settings.stt.providers.openai).toMatchObject({
      model: 'gpt-4o-mini-transcribe',
      language: '',
      apiKey: '',
    });
  });

  it('a key entered in Preferences is bound to the base URL it was entered with; other fields keep theirs', () => {
    const current = defaultPipelineSettings();
    const result = applyUpdate(current, {
      stt: { providers: { openai: { baseUrl: GROQ, apiKey: ` ${KEY}\n` } } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.stt.providers.openai).toMatchObject({
      baseUrl: GROQ,
      apiKey: KEY,
      apiKeyOrigin: 'https://api.groq.com',
      model: 'gpt-4o-mini-transcribe',
    });
    // The renderer may not bind a key to an origin, and an empty key keeps the stored one.
    const sneaky = applyUpdate(result.settings, {
      stt: {
        providers: { openai: { apiKey: '', apiKeyOrigin: 'https://evil.example', model: 'whisper-1' } },
      },
    });
    expect(sneaky.ok && sneaky.settings.stt.providers.openai).toMatchObject({
      apiKey: KEY,
      apiKeyOrigin: 'https://api.groq.com',
      model: 'whisper-1',
    });
    const removed = applyUpdate(result.settings, { stt: { providers: { openai: { apiKey: null } } } });
    expect(removed.ok && removed.settings.stt.providers.openai).toMatchObject({
      apiKey: '',
      apiKeyOrigin: '',
    });
  });

  it('refuses a key for plain http to another machine, and bad listen values in the fields own words', () => {
    const refused = applyUpdate(defaultPipelineSettings(), {
      stt: { providers: { openai: { baseUrl: 'http://10.0.0.5:8000/v1', apiKey: KEY } } },
    });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors.join(' ')).toMatch(/plain http/);
    const bad = applyUpdate(defaultPipelineSettings(), { listen: { preRollMs: 100, mode: 'always' } });
    expect(bad.ok).toBe(false);
  });

  it('is stored encrypted in secrets.sttApiKeys, never in plain text, never sent to the renderer', () => {
    const settings = parsePipelineSettings({
      stt: { providers: { openai: { baseUrl: GROQ, apiKey: KEY, apiKeyOrigin: 'https://api.groq.com' } } },
      listen: { mode: 'hands-free' },
    });
    const { document, keyPersisted } = toStoredDocument(settings, fakeCipher());
    expect(keyPersisted).toBe(true);
    expect(JSON.stringify(document)).not.toContain(KEY);
    expect(document.secrets?.sttApiKeys?.openai?.apiKeyOrigin).toBe('https://api.groq.com');
    const loaded = loadSettings(JSON.parse(JSON.stringify(document)), fakeCipher());
    expect(loaded.resetFields).toEqual([]);
    expect(loaded.settings.stt.providers.openai).toMatchObject({
      apiKey: KEY,
      apiKeyOrigin: 'https://api.groq.com',
    });
    expect(loaded.settings.listen.mode).toBe('hands-free');
    const shown = redactForRenderer(loaded.settings);
    expect(JSON.stringify(shown)).not.toContain(KEY);
    expect(shown.stt.apiKeysSet.openai).toBe(true);
    // Without secure storage the key is kept for the session only.
    expect(toStoredDocument(settings, fakeCipher(false)).keyPersisted).toBe(false);
  });

  it('a plain-text key typed into the file is moved into secrets; a backup copy drops it', () => {
    const raw = {
      version: 4,
      pipeline: { stt: { providers: { openai: { baseUrl: GROQ, apiKey: KEY } } } },
    };
    const loaded = loadSettings(raw, fakeCipher());
    expect(loaded.needsSave).toBe(true);
    expect(loaded.settings.stt.providers.openai).toMatchObject({
      apiKey: KEY,
      apiKeyOrigin: 'https://api.groq.com',
    });
    expect(JSON.stringify(withoutPlainTextKeys(raw))).not.toContain(KEY);
  });

  it('a broken value costs only that value', () => {
    const loaded = loadSettings(
      {
        version: 4,
        pipeline: {
          listen: { endSilenceMs: 'soon', bargeIn: false },
          stt: { providers: { openai: { language: 'English' } } },
        },
      },
      fakeCipher(),
    );
    expect(loaded.settings.listen).toMatchObject({ endSilenceMs: 500, bargeIn: false });
    expect(loaded.settings.stt.providers.openai.language).toBe('');
    expect(loaded.resetFields).toHaveLength(2);
  });
});
