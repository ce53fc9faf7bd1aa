import { describe, expect, it } from 'vitest';
import {
  defaultPipelineSettings,
  describeSettingsErrors,
  parsePipelineSettings,
  pipelineSettingsSchema,
} from '../../src/shared/settings';

describe('pipeline settings schema', () => {
  it('fills every default from an empty object', () => {
    const s = defaultPipelineSettings();
    expect(s.streaming).toMatchObject({ enabled: true, firstSegmentMinChars: 4, synthesisAhead: 3 });
    expect(s.llm.baseUrl).toBe('https://api.openai.com/v1');
    expect(s.tts.providers.edge.voice).toBe('en-US-AnaNeural');
    expect(s.character.name).toBe('Kiyo');
  });

  it('keeps given values and fills the rest', () => {
    const s = parsePipelineSettings({ llm: { baseUrl: 'http://localhost:11434/v1', model: 'llama3.2' } });
    expect(s.llm).toMatchObject({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.2',
      temperature: 0.8,
    });
  });

  it.each([
    [{ streaming: { synthesisAhead: 0 } }, 'streaming.synthesisAhead'],
    [{ streaming: { firstSegmentMinChars: 50, firstSegmentMaxChars: 20 } }, 'streaming.firstSegmentMaxChars'],
    [{ llm: { baseUrl: 'ftp://example.com' } }, 'llm.baseUrl'],
    [{ llm: { temperature: 3 } }, 'llm.temperature'],
    [{ tts: { providers: { edge: { voice: 'Ana' } } } }, 'tts.providers.edge.voice'],
    [{ tts: { providers: { edge: { outputFormat: 'wav' } } } }, 'tts.providers.edge.outputFormat'],
    [{ tts: { provider: 'espeak' } }, 'tts.provider'],
    [{ tts: { fallback: ['offline', 'offline'] } }, 'tts.fallback'],
    [{ tts: { providers: { openai: { baseUrl: 'localhost:8880/v1' } } } }, 'tts.providers.openai.baseUrl'],
    [{ streaming: { enabled: 'yes' } }, 'streaming.enabled'],
    [{ llm: { baseUrl: 'https://user:hunter22@api.example.com/v1' } }, 'llm.baseUrl'],
    [{ llm: { baseUrl: 'https://:hunter22@api.example.com/v1' } }, 'llm.baseUrl'],
    [{ llm: { apiKey: 'sk-abc\ndef-0123456789' } }, 'llm.apiKey'],
    [{ llm: { apiKey: 'sk-abc def-0123456789' } }, 'llm.apiKey'],
    [{ llm: { apiKey: 'sk-abc\u0000def' } }, 'llm.apiKey'],
  ])('rejects %j with a message naming %s', (input, path) => {
    expect(() => parsePipelineSettings(input)).toThrow();
    const errors = describeSettingsErrors(input);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.startsWith(`${path}:`))).toBe(true);
  });

  it('says in plain words why a base URL with credentials or a key with a line break is refused', () => {
    expect(describeSettingsErrors({ llm: { baseUrl: 'https://user:hunter22@api.example.com/v1' } })).toEqual([
      'llm.baseUrl: a base URL cannot contain a user name or password (user:pass@); put the API key in the API key field',
    ]);
    expect(describeSettingsErrors({ llm: { apiKey: 'sk-abc\ndef' } })[0]).toMatch(
      /^llm\.apiKey: an API key has no spaces, line breaks or other invisible characters/,
    );
    expect(
      describeSettingsErrors({ llm: { baseUrl: 'https://api.example.com/v1', apiKey: 'sk-abc_DEF-123' } }),
    ).toEqual([]);
  });

  it('documents every setting with a one-line explanation', () => {
    type Shape = Record<string, { description?: string; unwrap?: () => unknown; shape?: unknown }>;
    const check = (path: string, inner: unknown) => {
      const shape =
        (inner as { shape?: Shape }).shape ?? (inner as unknown as { in: { shape: Shape } }).in.shape;
      for (const [key, field] of Object.entries(shape)) {
        // Nested settings (each voice provider's) are documented field by field.
        const nested = field.unwrap?.() as { shape?: unknown } | undefined;
        if (nested?.shape) check(`${path}.${key}`, nested);
        else expect(field.description, `${path}.${key}`).toBeTruthy();
      }
    };
    for (const [group, schema] of Object.entries(pipelineSettingsSchema.shape)) check(group, schema.unwrap());
  });
});

describe('docs/settings.md', () => {
  it('is up to date with the schema (run npm run docs:settings)', async () => {
    const { readFileSync } = await import('node:fs');
    const { settingsMarkdown } = await import('../../src/shared/settings-doc');
    expect(readFileSync(new URL('../../docs/settings.md', import.meta.url), 'utf8')).toBe(settingsMarkdown());
  });
});
