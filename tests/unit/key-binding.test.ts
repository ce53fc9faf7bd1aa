import { describe, expect, it } from 'vitest';
import { LlmClient } from '../../src/main/pipeline/llm-stream';
import { silentLogger } from '../../src/main/pipeline/logger';
import { apiKeyFor, insecureKeyDestination, isLoopbackHost } from '../../src/main/secrets/key-binding';
import {
  applyUpdate,
  confirmKeyForBaseUrl,
  loadSettings,
  toStoredDocument,
} from '../../src/main/settings/settings-persistence';
import { defaultPipelineSettings, type PipelineSettings } from '../../src/shared/settings';
import { fakeCipher } from '../helpers/fake-cipher';

const KEY = 'sk-bound-0123456789abcdef';

function withKey(baseUrl: string, apiKeyOrigin: string): PipelineSettings {
  const settings = defaultPipelineSettings();
  settings.llm = { ...settings.llm, baseUrl, apiKey: KEY, apiKeyOrigin };
  return settings;
}

describe('which key a request may carry', () => {
  it('the key goes only to the origin it is bound to', () => {
    expect(apiKeyFor(withKey('https://api.openai.com/v1', 'https://api.openai.com').llm)).toEqual({
      key: KEY,
    });
    const elsewhere = apiKeyFor(withKey('https://evil.example/v1', 'https://api.openai.com').llm);
    expect(elsewhere).toMatchObject({ key: '', refuse: false });
    expect(elsewhere.withheld).toBe(
      'The saved API key is for https://api.openai.com, so it was not sent to https://evil.example. In Preferences → LLM, confirm the saved key for this server or enter its own key.',
    );
    // Same host, other port or scheme: another origin.
    expect(apiKeyFor(withKey('https://api.openai.com:8443/v1', 'https://api.openai.com').llm).key).toBe('');
    expect(apiKeyFor(withKey('http://api.openai.com/v1', 'https://api.openai.com').llm).key).toBe('');
    // A key bound to nothing (a hand-edited file) is sent nowhere.
    expect(apiKeyFor(withKey('https://api.openai.com/v1', '').llm).key).toBe('');
  });

  it('never over plain http to another machine, even when bound to it', () => {
    const decision = apiKeyFor(withKey('http://192.168.1.20:8080/v1', 'http://192.168.1.20:8080').llm);
    expect(decision).toMatchObject({ key: '', refuse: true });
    expect(decision.withheld).toMatch(
      /^Kiyo does not send an API key over plain http to 192\.168\.1\.20:8080/,
    );
    for (const local of ['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8080/v1'])
      expect(insecureKeyDestination(local), local).toBeUndefined();
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('localhost.evil.example')).toBe(false);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('a turn to plain http on another machine fails with the plain message and sends nothing', async () => {
    const settings = withKey('http://192.0.2.1:9/v1', 'http://192.0.2.1:9');
    const client = new LlmClient(silentLogger);
    const stream = client.stream(
      settings.llm,
      [{ role: 'user', content: 'hi' }],
      new AbortController().signal,
    );
    await expect(stream.next()).rejects.toMatchObject({
      code: 'llm-auth',
      message: expect.stringMatching(/does not send an API key over plain http to 192\.0\.2\.1:9/),
    });
  });
});

describe('binding in the settings', () => {
  it('a new key is bound to the base URL it is entered with, in the same patch or before', () => {
    const current = defaultPipelineSettings();
    const result = applyUpdate(current, {
      llm: { baseUrl: 'http://localhost:11434/v1', apiKey: ` ${KEY}\n` },
    });
    expect(result).toMatchObject({
      ok: true,
      settings: { llm: { apiKey: KEY, apiKeyOrigin: 'http://localhost:11434' } },
    });
  });

  it('changing the base URL keeps the old binding, so the key is withheld from the new host', () => {
    const current = withKey('https://api.openai.com/v1', 'https://api.openai.com');
    const result = applyUpdate(current, { llm: { baseUrl: 'https://evil.example/v1' } });
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.settings.llm).toMatchObject({ apiKey: KEY, apiKeyOrigin: 'https://api.openai.com' });
    expect(apiKeyFor(result.settings.llm).key).toBe('');
  });

  it('the renderer cannot bind the key itself', () => {
    const current = withKey('https://evil.example/v1', 'https://api.openai.com');
    const result = applyUpdate(current, { llm: { apiKeyOrigin: 'https://evil.example' } });
    expect(result).toMatchObject({ ok: true, settings: { llm: { apiKeyOrigin: 'https://api.openai.com' } } });
  });

  it('confirming binds the saved key to the current origin; refused over plain http to another machine', () => {
    const moved = withKey('https://api.example.net/v1', 'https://api.openai.com');
    expect(confirmKeyForBaseUrl(moved)).toMatchObject({
      ok: true,
      settings: { llm: { apiKey: KEY, apiKeyOrigin: 'https://api.example.net' } },
    });
    const insecure = confirmKeyForBaseUrl(withKey('http://10.0.0.5/v1', 'https://api.openai.com'));
    expect(insecure).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/plain http to 10\.0\.0\.5/)],
    });
    expect(confirmKeyForBaseUrl(defaultPipelineSettings())).toMatchObject({ ok: false });
  });

  it('a key cannot be entered for plain http to another machine; removing it unbinds it', () => {
    const current = {
      ...defaultPipelineSettings(),
      llm: { ...defaultPipelineSettings().llm, baseUrl: 'http://10.0.0.5/v1' },
    };
    const result = applyUpdate(current, { llm: { apiKey: KEY } });
    expect(result).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^llm\.apiKey: Kiyo does not send an API key over plain http/)],
    });
    const removed = applyUpdate(withKey('https://api.openai.com/v1', 'https://api.openai.com'), {
      llm: { apiKey: null },
    });
    expect(removed).toMatchObject({ ok: true, settings: { llm: { apiKey: '', apiKeyOrigin: '' } } });
  });

  it('a key pasted with a line break inside is refused with a clear message', () => {
    const result = applyUpdate(defaultPipelineSettings(), { llm: { apiKey: 'sk-first-half\nsecond-half' } });
    expect(result).toMatchObject({
      ok: false,
      errors: [
        expect.stringMatching(
          /^llm\.apiKey: an API key has no spaces, line breaks or other invisible characters/,
        ),
      ],
    });
    expect(JSON.stringify(result)).not.toContain('second-half');
  });

  it('a stored key with a line break (saved before keys were checked) is dropped with a note, never used', () => {
    const cipher = fakeCipher();
    const stored = {
      version: 3,
      secrets: {
        llmApiKey: cipher.encrypt('sk-old-0123\nsk-old-4567'),
        llmApiKeyOrigin: 'https://api.openai.com',
      },
    };
    expect(cipher.decrypt(stored.secrets.llmApiKey)).toContain('\n'); // the file really holds such a key
    const loaded = loadSettings(stored, cipher);
    expect(loaded.settings.llm).toMatchObject({ apiKey: '', apiKeyOrigin: '' });
    expect(loaded.resetFields).toEqual([
      'llm.apiKey: the decrypted key is not valid, so it was reset to empty and must be entered again',
    ]);
  });

  it('a version 2 file binds its key to the origin of the base URL saved with it', () => {
    const cipher = fakeCipher();
    const v2 = {
      version: 2,
      pipeline: { llm: { baseUrl: 'http://localhost:11434/v1', model: 'llama3.2' } },
      secrets: { llmApiKey: cipher.encrypt(KEY) },
    };
    const loaded = loadSettings(v2, cipher);
    expect(loaded.settings.llm).toMatchObject({ apiKey: KEY, apiKeyOrigin: 'http://localhost:11434' });
    expect(loaded.needsSave).toBe(true);
    // And the binding is what gets written back.
    const { document } = toStoredDocument(loaded.settings, cipher);
    expect(document.secrets).toEqual({
      llmApiKey: expect.any(String),
      llmApiKeyOrigin: 'http://localhost:11434',
    });
    expect(document.pipeline.llm).not.toHaveProperty('apiKeyOrigin');
    expect(loadSettings(JSON.parse(JSON.stringify(document)), cipher).settings.llm.apiKeyOrigin).toBe(
      'http://localhost:11434',
    );
  });

  it('a base URL with a password in a hand-edited file is reset without repeating the password', () => {
    const loaded = loadSettings(
      { version: 3, pipeline: { llm: { baseUrl: 'https://me:hunter22@api.example.com/v1' } } },
      fakeCipher(),
    );
    expect(loaded.settings.llm.baseUrl).toBe('https://api.openai.com/v1');
    expect(loaded.resetFields).toHaveLength(1);
    expect(loaded.resetFields[0]).toMatch(
      /^llm\.baseUrl: was "https:\/\/\[redacted\]@api\.example\.com\/v1", reset to/,
    );
    expect(loaded.resetFields.join()).not.toContain('hunter22');
  });
});
