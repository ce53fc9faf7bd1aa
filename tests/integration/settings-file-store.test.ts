import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCipher } from '../helpers/fake-cipher';
import { createLogger, type Logger } from '../../src/main/pipeline/logger';
import { CURRENT_VERSION, type SecretCipher } from '../../src/main/settings/settings-persistence';
import { SettingsFileStore } from '../../src/main/settings/settings-file-store';
import { defaultPipelineSettings, type PipelineSettings } from '../../src/shared/settings';

const KEY = 'sk-integration-0123456789abcdef';

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level: 'debug', sink: (_level, line) => lines.push(line) }), { lines });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiyo-settings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const settingsFile = () => join(dir, 'settings.json');
const fileText = () => readFileSync(settingsFile(), 'utf8');
const others = () => readdirSync(dir).filter((name) => name !== 'settings.json');
const everyFileText = () => readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));

function open(cipher: SecretCipher = fakeCipher(), logger: Logger = capturingLogger()) {
  return new SettingsFileStore({ cipher, logger, cwd: dir });
}

function custom(): PipelineSettings {
  const settings = defaultPipelineSettings();
  settings.llm = {
    ...settings.llm,
    baseUrl: 'http://localhost:1234/v1',
    model: 'local',
    apiKey: KEY,
    apiKeyOrigin: 'http://localhost:1234',
  };
  settings.tts.providers.edge.rate = 15;
  settings.streaming.synthesisAhead = 4;
  return settings;
}

describe('SettingsFileStore', () => {
  it('starts from the defaults without a file, and writes nothing', () => {
    const store = open();
    expect(store.path).toBe(settingsFile());
    expect(store.load()).toEqual({
      settings: defaultPipelineSettings(),
      resetFields: [],
      corrupt: false,
      needsSave: false,
      keyPersisted: true,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('round-trips settings through the file, with the key encrypted', () => {
    const cipher = fakeCipher();
    expect(open(cipher).save(custom())).toEqual({ keyPersisted: true });
    expect(fileText()).not.toContain(KEY);
    const stored = JSON.parse(fileText()) as {
      version: number;
      secrets: { llmApiKey: string; llmApiKeyOrigin: string };
    };
    expect(stored.version).toBe(CURRENT_VERSION);
    expect(cipher.decrypt(stored.secrets.llmApiKey)).toBe(KEY);
    expect(stored.secrets.llmApiKeyOrigin).toBe('http://localhost:1234');
    expect(open(cipher).load()).toMatchObject({ settings: custom(), resetFields: [], needsSave: false });
    expect(others()).toEqual([]);
  });

  it('keeps the file private to the user', () => {
    open().save(custom());
    if (process.platform !== 'win32') expect(statSync(settingsFile()).mode & 0o077).toBe(0);
  });

  it('migrates a flat version 1 file with a plain-text key, leaving no plain text on disk', () => {
    writeFileSync(
      settingsFile(),
      JSON.stringify({
        llm: { model: 'llama3.2', apiKey: KEY },
        tts: { rate: 10 },
        streaming: { enabled: false },
      }),
    );
    const cipher = fakeCipher();
    const result = open(cipher).load();
    expect(result.settings.llm).toMatchObject({ model: 'llama3.2', apiKey: KEY });
    expect(result.settings.tts.providers.edge.rate).toBe(10);
    expect(result.settings.streaming.enabled).toBe(false);
    expect(result).toMatchObject({ resetFields: [], corrupt: false, needsSave: true, keyPersisted: true });
    const text = fileText();
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text)).toMatchObject({
      version: CURRENT_VERSION,
      pipeline: { llm: { model: 'llama3.2' } },
    });
    for (const content of everyFileText()) expect(content).not.toContain(KEY);
    expect(open(cipher).load()).toMatchObject({ settings: result.settings, needsSave: false });
  });

  it('migrates the `pipeline` layout written by the old loader', () => {
    writeFileSync(settingsFile(), JSON.stringify({ pipeline: { llm: { apiKey: KEY, model: 'm' } } }));
    const result = open().load();
    expect(result.settings.llm).toMatchObject({ apiKey: KEY, model: 'm' });
    expect(fileText()).not.toContain(KEY);
  });

  it('with secure storage unavailable, keeps the key for the session only and never writes it', () => {
    writeFileSync(settingsFile(), JSON.stringify({ pipeline: { llm: { apiKey: KEY } } }));
    const cipher = fakeCipher(false);
    const logger = capturingLogger();
    const result = open(cipher, logger).load();
    expect(result.settings.llm.apiKey).toBe(KEY);
    expect(result.keyPersisted).toBe(false);
    expect(result.resetFields[0]).toMatch(/session only/);
    for (const content of everyFileText()) expect(content).not.toContain(KEY);
    expect(JSON.parse(fileText())).not.toHaveProperty('secrets');
    expect(logger.lines.join('\n')).not.toContain(KEY);

    expect(open(cipher).save(custom())).toEqual({ keyPersisted: false });
    expect(fileText()).not.toContain(KEY);
    expect(open(cipher).load().settings.llm.apiKey).toBe('');
  });

  it('repairs hand-edited values, keeps the valid ones, and keeps a copy of the original', () => {
    const cipher = fakeCipher();
    open(cipher).save(custom());
    const edited = JSON.parse(fileText()) as { pipeline: { streaming: Record<string, unknown> } };
    edited.pipeline.streaming.synthesisAhead = 99;
    edited.pipeline.streaming.segmentMinChars = 30;
    const original = JSON.stringify(edited, undefined, 2);
    writeFileSync(settingsFile(), original);

    const logger = capturingLogger();
    const result = open(cipher, logger).load();
    expect(result.resetFields).toEqual([
      'streaming.synthesisAhead: was 99, reset to 3 (Too big: expected number to be <=8)',
    ]);
    expect(result.settings).toEqual({
      ...custom(),
      streaming: { ...custom().streaming, synthesisAhead: 3, segmentMinChars: 30 },
    });

    expect(result.backupPath).toMatch(/settings\.backup-[\dT-]+Z\.json$/);
    expect(readFileSync(result.backupPath!, 'utf8')).toBe(original);
    expect(JSON.parse(fileText())).toMatchObject({
      pipeline: { streaming: { synthesisAhead: 3, segmentMinChars: 30 } },
    });
    expect(logger.lines.join('\n')).toContain('streaming.synthesisAhead: was 99');
    expect(open(cipher).load()).toMatchObject({ resetFields: [], needsSave: false });
  });

  it('a backup of a version 1 file with a plain-text key does not contain the key', () => {
    writeFileSync(settingsFile(), JSON.stringify({ llm: { apiKey: KEY, temperature: 7 } }));
    const result = open().load();
    expect(result.resetFields).toHaveLength(1);
    expect(result.backupPath).toBeDefined();
    expect(JSON.parse(readFileSync(result.backupPath!, 'utf8'))).toEqual({ llm: { temperature: 7 } });
    for (const content of everyFileText()) expect(content).not.toContain(KEY);
  });

  it('moves a file that is not JSON aside and starts from the defaults', () => {
    writeFileSync(settingsFile(), '{"version": 2, "pipeline": {');
    const logger = capturingLogger();
    const result = open(fakeCipher(), logger).load();
    expect(result).toMatchObject({ settings: defaultPipelineSettings(), corrupt: true, needsSave: true });
    expect(result.backupPath).toMatch(/settings\.corrupt-[\dT-]+Z\.json$/);
    expect(readFileSync(result.backupPath!, 'utf8')).toBe('{"version": 2, "pipeline": {');
    expect(JSON.parse(fileText())).toMatchObject({ version: CURRENT_VERSION });
    expect(logger.lines.join('\n')).toMatch(/not a settings file/);
    expect(open().load()).toMatchObject({
      settings: defaultPipelineSettings(),
      corrupt: false,
      needsSave: false,
    });
  });

  it('treats JSON that is not an object as corrupt too', () => {
    writeFileSync(settingsFile(), '"hello"');
    const result = open().load();
    expect(result.corrupt).toBe(true);
    expect(readFileSync(result.backupPath!, 'utf8')).toBe('"hello"');
  });

  it('a key that cannot be decrypted any more is reported and must be entered again', () => {
    open(fakeCipher()).save(custom());
    const stored = JSON.parse(fileText()) as { secrets: { llmApiKey: string } };
    stored.secrets.llmApiKey = Buffer.from('from another machine').toString('base64');
    writeFileSync(settingsFile(), JSON.stringify(stored));
    const result = open().load();
    expect(result.settings.llm.apiKey).toBe('');
    expect(result.settings.llm.model).toBe('local');
    expect(result.resetFields).toEqual([
      'llm.apiKey: the stored key could not be decrypted, so it was reset to empty and must be entered again',
    ]);
    // The ciphertext survives in the backup, should the keychain come back.
    expect(readFileSync(result.backupPath!, 'utf8')).toContain(stored.secrets.llmApiKey);
  });

  it('accepts a file that starts with a UTF-8 byte order mark (Notepad writes one), key included', () => {
    const cipher = fakeCipher();
    open(cipher).save(custom());
    const saved = fileText();
    writeFileSync(settingsFile(), `\uFEFF${saved}`);
    expect(readFileSync(settingsFile())[0]).toBe(0xef); // the fault: the BOM really is in the file
    const store = open(cipher);
    const result = store.load();
    expect(result).toMatchObject({ settings: custom(), corrupt: false, resetFields: [] });
    expect(result.backupPath).toBeUndefined();
    // Saving over it (conf reads the file first) works too.
    expect(
      store.save({
        ...custom(),
        tts: {
          ...custom().tts,
          providers: { ...custom().tts.providers, edge: { ...custom().tts.providers.edge, rate: 20 } },
        },
      }),
    ).toEqual({ keyPersisted: true });
    expect(open(cipher).load().settings).toEqual({
      ...custom(),
      tts: {
        ...custom().tts,
        providers: { ...custom().tts.providers, edge: { ...custom().tts.providers.edge, rate: 20 } },
      },
    });
    expect(others()).toEqual([]);
  });

  it('teaches the logger the key so it never reaches a log line', () => {
    open().save(custom());
    const logger = capturingLogger();
    open(fakeCipher(), logger).load();
    logger.warn(`request failed for ${KEY}`);
    expect(logger.lines.join('\n')).not.toContain(KEY);
  });
});
