import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../src/main/pipeline/logger';
import { TTS_PROVIDERS } from '../../src/main/pipeline/tts/providers/registry';
import { ProviderTtsEngine, voiceOrder } from '../../src/main/pipeline/tts/provider-tts-engine';
import {
  applyUpdate,
  loadSettings,
  redactForRenderer,
  toStoredDocument,
  withoutPlainTextKeys,
} from '../../src/main/settings/settings-persistence';
import { defaultPipelineSettings, parsePipelineSettings } from '../../src/shared/settings';
import { audioFormatOf, TTS_PROVIDER_INFOS } from '../../src/shared/tts-providers/catalog';
import { fakeCipher } from '../helpers/fake-cipher';

const logger = createLogger({ level: 'error' });
const KEY = 'sk-speech-0123456789abcdef';

describe('the provider registry', () => {
  it('has an engine for every declared provider and a declaration for every engine', () => {
    expect(Object.keys(TTS_PROVIDERS).sort()).toEqual(TTS_PROVIDER_INFOS.map((i) => i.id).sort());
  });

  it.each(TTS_PROVIDER_INFOS.map((info) => [info.id, info] as const))(
    '%s: a label, a described schema whose defaults parse, and a factory that builds an engine',
    (id, info) => {
      expect(info.label).toMatch(/voice$/);
      for (const [key, field] of Object.entries(info.settings.shape))
        expect((field as z.ZodType).description, `${id}.${key}`).toBeTruthy();
      const defaults = info.settings.parse({});
      const engine = TTS_PROVIDERS[id].create(defaults as never, { logger });
      expect(typeof engine.synthesize).toBe('function');
      expect(typeof engine.updateSettings).toBe('function');
      engine.close();
    },
  );

  it('declares the audio each provider emits, with the sample rate of PCM', () => {
    const settings = parsePipelineSettings({
      tts: { providers: { openai: { responseFormat: 'pcm', pcmSampleRate: 22_050 } } },
    });
    expect(audioFormatOf('openai', settings.tts.providers)).toEqual({ codec: 'pcm', sampleRate: 22_050 });
    expect(audioFormatOf('edge', settings.tts.providers)).toEqual({ codec: 'mp3' });
    expect(audioFormatOf('offline', settings.tts.providers)).toEqual({ codec: 'pcm', sampleRate: 22_050 });
    settings.tts.providers.openai.responseFormat = 'mp3';
    expect(audioFormatOf('openai', settings.tts.providers)).toEqual({ codec: 'mp3' });
  });

  it('tries the chosen voice first, then the fallback order without it', () => {
    const tts = parsePipelineSettings({
      tts: { provider: 'openai', fallback: ['edge', 'openai', 'offline'] },
    }).tts;
    expect(voiceOrder(tts)).toEqual(['openai', 'edge', 'offline']);
  });

  it('rebuilds the order when the choice changes and keeps engines still in it', () => {
    const settings = defaultPipelineSettings();
    const engine = new ProviderTtsEngine(settings.tts, { logger });
    expect(engine.voices).toEqual(['edge', 'offline']);
    engine.configure({ ...settings.tts, provider: 'openai', fallback: ['offline'] });
    expect(engine.voices).toEqual(['openai', 'offline']);
    engine.configure({ ...settings.tts, provider: 'offline', fallback: [] });
    expect(engine.voices).toEqual(['offline']);
    engine.close();
  });
});

describe('settings of today migrate to the provider layout', () => {
  it("moves a version 3 file's voice settings into tts.providers.edge and keeps speaking with Edge", () => {
    const v3 = JSON.parse(readFileSync(new URL('../fixtures/settings-v3.json', import.meta.url), 'utf8'));
    const { settings, resetFields, needsSave } = loadSettings(v3, fakeCipher());
    expect(resetFields).toEqual([]);
    expect(needsSave).toBe(true);
    expect(settings.tts.provider).toBe('edge');
    expect(settings.tts.fallback).toEqual(['offline']);
    expect(settings.tts.providers.edge).toEqual({
      voice: 'ja-JP-NanamiNeural',
      rate: 15,
      pitch: -5,
      volume: -10,
      outputFormat: 'audio-24khz-96kbitrate-mono-mp3',
      warmConnections: 1,
      timeoutMs: 9000,
    });
    expect(settings.character.name).toBe('Mio');
    // Written back, it reads the same without another migration.
    const stored = toStoredDocument(settings, fakeCipher()).document;
    expect(loadSettings(JSON.parse(JSON.stringify(stored)), fakeCipher())).toMatchObject({
      settings,
      needsSave: false,
    });
  });

  it('resets one bad field of a provider and keeps the rest of it', () => {
    const { settings, resetFields } = loadSettings(
      {
        version: 4,
        pipeline: { tts: { provider: 'openai', providers: { openai: { speed: 9, voice: 'nova' } } } },
      },
      fakeCipher(),
    );
    expect(settings.tts.provider).toBe('openai');
    expect(settings.tts.providers.openai).toMatchObject({ speed: 1, voice: 'nova' });
    expect(resetFields).toEqual([
      expect.stringMatching(/^tts\.providers\.openai\.speed: was 9, reset to 1 /),
    ]);
  });
});

describe('a voice service key is kept like the LLM key', () => {
  const withSpeechKey = () =>
    applyUpdate(defaultPipelineSettings(), {
      tts: { providers: { openai: { baseUrl: 'https://speech.example.com/v1', apiKey: KEY } } },
    });

  it('is bound to the origin it was entered for and never reaches the renderer', () => {
    const result = withSpeechKey();
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.settings.tts.providers.openai).toMatchObject({
      apiKey: KEY,
      apiKeyOrigin: 'https://speech.example.com',
    });
    const shown = redactForRenderer(result.settings);
    expect(JSON.stringify(shown)).not.toContain(KEY);
    expect(shown.tts.apiKeysSet.openai).toBe(true);
    // The form sends back what it shows: the empty key leaves the stored one alone.
    const again = applyUpdate(result.settings, { tts: shown.tts });
    expect(again.ok && again.settings.tts.providers.openai.apiKey).toBe(KEY);
  });

  it('is stored encrypted, never in plain text, and read back with its origin', () => {
    const result = withSpeechKey();
    if (!result.ok) throw new Error('refused');
    const cipher = fakeCipher();
    const { document, keyPersisted } = toStoredDocument(result.settings, cipher);
    expect(keyPersisted).toBe(true);
    expect(JSON.stringify(document)).not.toContain(KEY);
    const loaded = loadSettings(JSON.parse(JSON.stringify(document)), cipher);
    expect(loaded.settings.tts.providers.openai).toMatchObject({
      apiKey: KEY,
      apiKeyOrigin: 'https://speech.example.com',
    });
    expect(toStoredDocument(result.settings, fakeCipher(false)).keyPersisted).toBe(false);
  });

  it('is refused over plain http to another machine, and a typed-in plain-text key leaves the file', () => {
    const refused = applyUpdate(defaultPipelineSettings(), {
      tts: { providers: { openai: { baseUrl: 'http://192.0.2.7:8880/v1', apiKey: KEY } } },
    });
    expect(refused.ok).toBe(false);
    const raw = { version: 4, pipeline: { tts: { providers: { openai: { apiKey: KEY } } } } };
    expect(JSON.stringify(withoutPlainTextKeys(raw))).not.toContain(KEY);
    const loaded = loadSettings(raw, fakeCipher());
    expect(loaded.needsSave).toBe(true);
    expect(loaded.settings.tts.providers.openai.apiKeyOrigin).toBe('https://api.openai.com');
  });
});
