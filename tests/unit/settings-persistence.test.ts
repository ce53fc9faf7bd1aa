import { describe, expect, it } from 'vitest';
import { fakeCipher } from '../helpers/fake-cipher';
import { defaultPipelineSettings, type PipelineSettings } from '../../src/shared/settings';
import {
  applyUpdate,
  CURRENT_VERSION,
  loadSettings,
  migrateDocument,
  migrations,
  redactForRenderer,
  toStoredDocument,
  withoutPlainTextKeys,
  type SecretCipher,
} from '../../src/main/settings/settings-persistence';

const KEY = 'sk-test-0123456789abcdef';

function withKey(key: string): PipelineSettings {
  const settings = defaultPipelineSettings();
  settings.llm.apiKey = key;
  return settings;
}

describe('migrations', () => {
  it('has one migration per version step', () => {
    expect(migrations).toHaveLength(CURRENT_VERSION - 1);
  });

  it('turns a flat version 1 document with a plain-text key into the current version with the key encrypted and bound', () => {
    const cipher = fakeCipher();
    const v1 = { llm: { model: 'llama3.2', apiKey: KEY }, tts: { rate: 10 }, streaming: { enabled: false } };
    const { document, fromVersion } = migrateDocument(v1, { cipher, notes: [] });
    expect(fromVersion).toBe(1);
    expect(document).toMatchObject({
      version: CURRENT_VERSION,
      pipeline: {
        llm: { model: 'llama3.2' },
        tts: { provider: 'edge', providers: { edge: { rate: 10 } } },
        streaming: { enabled: false },
      },
    });
    expect(JSON.stringify(document)).not.toContain(KEY);
    const secrets = document.secrets as { llmApiKey: string; llmApiKeyOrigin: string };
    expect(cipher.decrypt(secrets.llmApiKey)).toBe(KEY);
    // No base URL in the file: the key was used with the default one.
    expect(secrets.llmApiKeyOrigin).toBe('https://api.openai.com');
  });

  it('reads the version 1 `pipeline` layout too', () => {
    const { document } = migrateDocument(
      { pipeline: { llm: { apiKey: KEY, model: 'm' } } },
      { cipher: fakeCipher(), notes: [] },
    );
    expect(document).toMatchObject({ version: CURRENT_VERSION, pipeline: { llm: { model: 'm' } } });
    expect(JSON.stringify(document)).not.toContain(KEY);
  });

  it('without secure storage takes the plain-text key out of the document and keeps it for the session', () => {
    const context = { cipher: fakeCipher(false), notes: [] as string[] };
    const { document } = migrateDocument({ pipeline: { llm: { apiKey: KEY } } }, context);
    expect(JSON.stringify(document)).not.toContain(KEY);
    expect(document.secrets).toBeUndefined();
    expect(context).toMatchObject({ sessionApiKey: KEY });
    expect(context.notes[0]).toMatch(/^llm\.apiKey: .*this session only/);
  });

  it('leaves a current document alone', () => {
    const current = toStoredDocument(withKey(KEY), fakeCipher()).document;
    const { document, fromVersion } = migrateDocument({ ...current }, { cipher: fakeCipher(), notes: [] });
    expect(fromVersion).toBe(CURRENT_VERSION);
    expect(document).toEqual(current);
  });
});

describe('loadSettings', () => {
  it('gives the defaults for a first run, without complaining or saving', () => {
    expect(loadSettings(undefined, fakeCipher())).toEqual({
      settings: defaultPipelineSettings(),
      resetFields: [],
      corrupt: false,
      needsSave: false,
    });
  });

  it.each([[null], ['garbage'], [42], [[1, 2]], [true]])(
    'treats %j as corrupt and uses the defaults',
    (raw) => {
      expect(loadSettings(raw, fakeCipher())).toEqual({
        settings: defaultPipelineSettings(),
        resetFields: [],
        corrupt: true,
        needsSave: true,
      });
    },
  );

  it('round-trips every setting, the key included, through toStoredDocument', () => {
    const cipher = fakeCipher();
    const settings = defaultPipelineSettings();
    settings.llm = { ...settings.llm, baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', apiKey: KEY };
    settings.tts.providers.edge.voice = 'ja-JP-NanamiNeural';
    settings.streaming.synthesisAhead = 5;
    settings.character.name = 'Mio';
    const { document, keyPersisted } = toStoredDocument(settings, cipher);
    expect(keyPersisted).toBe(true);
    const stored = JSON.parse(JSON.stringify(document)) as unknown;
    expect(loadSettings(stored, cipher)).toEqual({
      settings,
      resetFields: [],
      corrupt: false,
      needsSave: false,
    });
  });

  it('migrates a version 1 file and asks for it to be saved', () => {
    const result = loadSettings({ pipeline: { llm: { apiKey: KEY, model: 'm' } } }, fakeCipher());
    expect(result.settings.llm).toMatchObject({ apiKey: KEY, model: 'm' });
    expect(result).toMatchObject({ resetFields: [], corrupt: false, needsSave: true });
  });

  it('resets only the invalid values, keeps the valid ones and drops unknown keys silently', () => {
    const raw = {
      version: 2,
      legacy: true,
      pipeline: {
        streaming: { synthesisAhead: 99, segmentMinChars: 30, bogus: 1 },
        tts: { voice: 'not a voice', rate: 25 },
        llm: { temperature: 'hot', model: 'llama3.2' },
        character: { name: 'Mio' },
        extra: {},
      },
    };
    const { settings, resetFields, corrupt, needsSave } = loadSettings(raw, fakeCipher());
    expect(settings.streaming).toMatchObject({ synthesisAhead: 3, segmentMinChars: 30 });
    expect(settings.tts.providers.edge).toMatchObject({ voice: 'en-US-AnaNeural', rate: 25 });
    expect(settings.llm).toMatchObject({ temperature: 0.8, model: 'llama3.2' });
    expect(settings.character.name).toBe('Mio');
    expect(settings).not.toHaveProperty('extra');
    expect(settings.streaming).not.toHaveProperty('bogus');
    expect(resetFields).toEqual([
      'llm.temperature: was "hot", reset to 0.8 (Invalid input: expected number, received string)',
      'tts.providers.edge.voice: was "not a voice", reset to "en-US-AnaNeural" (an Edge voice name such as en-US-AnaNeural)',
      'streaming.synthesisAhead: was 99, reset to 3 (Too big: expected number to be <=8)',
    ]);
    expect({ corrupt, needsSave }).toEqual({ corrupt: false, needsSave: true });
  });

  it('resets a section that is not an object', () => {
    const { settings, resetFields } = loadSettings({ version: 2, pipeline: { tts: 'loud' } }, fakeCipher());
    expect(settings.tts).toEqual(defaultPipelineSettings().tts);
    expect(resetFields).toEqual(['tts: was "loud", reset to defaults (expected an object)']);
  });

  it('resolves a cross-field conflict by resetting the field the rule names', () => {
    const raw = { version: 2, pipeline: { streaming: { segmentMinChars: 100, segmentMaxChars: 50 } } };
    const { settings, resetFields } = loadSettings(raw, fakeCipher());
    expect(settings.streaming).toMatchObject({ segmentMinChars: 100, segmentMaxChars: 200 });
    expect(resetFields).toEqual([
      'streaming.segmentMaxChars: was 50, reset to 200 ("Segment max" must be at least "Segment min")',
    ]);
  });

  it('falls back to the section defaults when resetting the named field is not enough', () => {
    const raw = { version: 2, pipeline: { streaming: { segmentMinChars: 300, enabled: false } } };
    const { settings, resetFields } = loadSettings(raw, fakeCipher());
    expect(settings.streaming).toEqual(defaultPipelineSettings().streaming);
    expect(resetFields).toHaveLength(1);
    expect(resetFields[0]).toMatch(/^streaming: values that do not fit together .*reset to defaults$/);
  });

  it('shortens long values in the report', () => {
    const raw = { version: 2, pipeline: { character: { systemPrompt: 'x'.repeat(9000) } } };
    const [line] = loadSettings(raw, fakeCipher()).resetFields;
    expect(line).toMatch(/^character\.systemPrompt: was "x{56}\.\.\., reset to "You are {{name}}/);
    expect(line).not.toContain('x'.repeat(60));
  });

  it('an undecryptable key becomes empty and the user is told to enter it again', () => {
    const raw = { version: 2, pipeline: {}, secrets: { llmApiKey: Buffer.from('junk').toString('base64') } };
    const { settings, resetFields, needsSave } = loadSettings(raw, fakeCipher());
    expect(settings.llm.apiKey).toBe('');
    expect(resetFields).toEqual([
      'llm.apiKey: the stored key could not be decrypted, so it was reset to empty and must be entered again',
    ]);
    expect(needsSave).toBe(true);
  });

  it('a stored key cannot be read while secure storage is unavailable', () => {
    const { document } = toStoredDocument(withKey(KEY), fakeCipher());
    const { settings, resetFields } = loadSettings(document, fakeCipher(false));
    expect(settings.llm.apiKey).toBe('');
    expect(resetFields[0]).toMatch(/secure storage is not available.*entered again/);
  });

  it('encrypts a plain-text key typed into a current file by hand', () => {
    const raw = { version: 2, pipeline: { llm: { apiKey: KEY } } };
    const result = loadSettings(raw, fakeCipher());
    expect(result.settings.llm.apiKey).toBe(KEY);
    expect(result.needsSave).toBe(true);
  });

  it('never puts a key into a report line', () => {
    const raw = { pipeline: { llm: { apiKey: `${KEY}${'x'.repeat(600)}` } } };
    const { settings, resetFields } = loadSettings(raw, fakeCipher());
    expect(settings.llm.apiKey).toBe('');
    expect(resetFields).toEqual(['llm.apiKey: the plain-text key in the file was not valid and was removed']);
    expect(resetFields.join()).not.toContain(KEY);
  });

  it('reads an unknown version field as version 1', () => {
    const { settings, resetFields } = loadSettings({ version: 'two', llm: { model: 'm' } }, fakeCipher());
    expect(settings.llm.model).toBe('m');
    expect(resetFields).toEqual(['version: was "two", read as a version 1 file']);
  });
});

describe('toStoredDocument', () => {
  it('stores the key encrypted, never in plain text', () => {
    const cipher = fakeCipher();
    const { document, keyPersisted } = toStoredDocument(withKey(KEY), cipher);
    expect(keyPersisted).toBe(true);
    expect(JSON.stringify(document)).not.toContain(KEY);
    expect(document.pipeline.llm).not.toHaveProperty('apiKey');
    expect(cipher.decrypt(document.secrets!.llmApiKey!)).toBe(KEY);
    expect(document.version).toBe(CURRENT_VERSION);
  });

  it('does not store the key at all when secure storage is unavailable', () => {
    const { document, keyPersisted } = toStoredDocument(withKey(KEY), fakeCipher(false));
    expect(keyPersisted).toBe(false);
    expect(document.secrets).toBeUndefined();
    expect(JSON.stringify(document)).not.toContain(KEY);
  });

  it('does not store the key when encryption throws', () => {
    const cipher: SecretCipher = {
      ...fakeCipher(),
      encrypt: () => {
        throw new Error('keychain locked');
      },
    };
    const { document, keyPersisted } = toStoredDocument(withKey(KEY), cipher);
    expect(keyPersisted).toBe(false);
    expect(JSON.stringify(document)).not.toContain(KEY);
  });

  it('has nothing to hide without a key', () => {
    const { document, keyPersisted } = toStoredDocument(defaultPipelineSettings(), fakeCipher(false));
    expect(keyPersisted).toBe(true);
    expect(document).not.toHaveProperty('secrets');
  });

  it('does not write renderer-only fields', () => {
    const view = redactForRenderer(withKey(KEY));
    const { document } = toStoredDocument(view, fakeCipher());
    expect(document.pipeline.llm).not.toHaveProperty('apiKeySet');
  });
});

describe('withoutPlainTextKeys', () => {
  it('removes plain-text keys from both version 1 layouts and leaves the input untouched', () => {
    const raw = { llm: { apiKey: KEY, model: 'm' }, pipeline: { llm: { apiKey: KEY } } };
    const safe = withoutPlainTextKeys(raw);
    expect(JSON.stringify(safe)).not.toContain(KEY);
    expect(safe).toEqual({ llm: { model: 'm' }, pipeline: { llm: {} } });
    expect(raw.llm.apiKey).toBe(KEY);
  });
});

describe('redactForRenderer', () => {
  it('never contains the key but says whether one is set', () => {
    const view = redactForRenderer(withKey(KEY));
    expect(JSON.stringify(view)).not.toContain(KEY);
    expect(view.llm).toMatchObject({ apiKey: '', apiKeySet: true });
    expect(redactForRenderer(defaultPipelineSettings()).llm.apiKeySet).toBe(false);
  });
});

describe('applyUpdate', () => {
  it('applies a valid deep-partial patch and keeps everything else', () => {
    const current = withKey(KEY);
    const result = applyUpdate(current, {
      tts: { providers: { edge: { rate: 20 } } },
      streaming: { enabled: false },
    });
    expect(result).toEqual({
      ok: true,
      settings: {
        ...current,
        tts: {
          ...current.tts,
          providers: { ...current.tts.providers, edge: { ...current.tts.providers.edge, rate: 20 } },
        },
        streaming: { ...current.streaming, enabled: false },
      },
    });
  });

  it('rejects invalid values with path: message lines and changes nothing', () => {
    const current = defaultPipelineSettings();
    const result = applyUpdate(current, { streaming: { synthesisAhead: 99 }, llm: { baseUrl: 'ftp://x' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain('streaming.synthesisAhead: Too big: expected number to be <=8');
    expect(result.errors.some((line) => line.startsWith('llm.baseUrl: '))).toBe(true);
    expect(current).toEqual(defaultPipelineSettings());
  });

  it('reports cross-field conflicts', () => {
    const result = applyUpdate(defaultPipelineSettings(), { streaming: { segmentMaxChars: 20 } });
    expect(result).toEqual({
      ok: false,
      errors: ['streaming.segmentMaxChars: "Segment max" must be at least "Segment min"'],
    });
  });

  it('rejects a patch or section that is not an object', () => {
    expect(applyUpdate(defaultPipelineSettings(), 'x')).toEqual({
      ok: false,
      errors: ['(root): expected an object of settings sections'],
    });
    expect(applyUpdate(defaultPipelineSettings(), { llm: 3 })).toEqual({
      ok: false,
      errors: ['llm: expected an object'],
    });
  });

  it('replaces the key only with a non-empty string, and null clears it', () => {
    const current = withKey(KEY);
    const set = (patch: unknown) => {
      const result = applyUpdate(current, patch);
      return result.ok ? result.settings.llm.apiKey : result.errors;
    };
    expect(set({ llm: { apiKey: 'sk-new-key-123456' } })).toBe('sk-new-key-123456');
    expect(set({ llm: { apiKey: '  sk-pasted-key-9876\n' } })).toBe('sk-pasted-key-9876');
    expect(set({ llm: { apiKey: '' } })).toBe(KEY);
    expect(set({ llm: { apiKey: '   ' } })).toBe(KEY);
    expect(set({ llm: { model: 'x' } })).toBe(KEY);
    expect(set({ llm: { apiKey: null } })).toBe('');
    expect(set({ llm: { apiKey: 5 } })).toEqual(['llm.apiKey: expected a string, or null to remove the key']);
  });

  it('accepts a whole RendererSettings sent back by the form without losing the key', () => {
    const current = withKey(KEY);
    const view = redactForRenderer(current);
    view.character.name = 'Mio';
    const result = applyUpdate(current, view);
    expect(result.ok && result.settings).toEqual({
      ...current,
      character: { ...current.character, name: 'Mio' },
    });
  });

  it('ignores unknown keys and prototype tricks', () => {
    const patch = JSON.parse(
      '{"__proto__":{"polluted":true},"llm":{"__proto__":{"x":1},"model":"m"},"foo":1}',
    );
    const result = applyUpdate(defaultPipelineSettings(), patch);
    expect(result.ok).toBe(true);
    expect(result.ok && result.settings.llm.model).toBe('m');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
