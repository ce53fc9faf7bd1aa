import { describe, expect, it } from 'vitest';
import { keepSavedKeys } from '../../src/main/settings/keep-saved-keys';
import { applyUpdate } from '../../src/main/settings/settings-persistence';
import { defaultPipelineSettings, type PipelineSettings } from '../../src/shared/settings';

const LLM_KEY = 'sk-llm0123456789abcdef';
const TTS_KEY = 'sk-tts0123456789abcdef';
const STT_KEY = 'gsk_stt0123456789abcdef';
const GROQ = 'https://api.groq.com/openai/v1';

function customised(): PipelineSettings {
  const result = applyUpdate(defaultPipelineSettings(), {
    llm: { apiKey: LLM_KEY, model: 'gpt-4o' },
    character: { name: 'Miko' },
    tts: { provider: 'openai', providers: { openai: { apiKey: TTS_KEY, speed: 1.5 } } },
    stt: { providers: { openai: { baseUrl: GROQ, apiKey: STT_KEY, model: 'whisper-1' } } },
    listen: { mode: 'hands-free', endSilenceMs: 800 },
  });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.settings;
}

describe('reset to defaults', () => {
  it('keeps every saved key with the origin it is bound to, and nothing else', () => {
    const current = customised();
    // The fixture really holds the three keys and the changed values the reset must undo.
    expect(current.llm.apiKey).toBe(LLM_KEY);
    expect(current.tts.providers.openai.apiKey).toBe(TTS_KEY);
    expect(current.stt.providers.openai).toMatchObject({
      apiKey: STT_KEY,
      apiKeyOrigin: 'https://api.groq.com',
    });
    expect(current.character.name).toBe('Miko');

    const reset = keepSavedKeys(defaultPipelineSettings(), current);
    expect(reset.llm).toMatchObject({ apiKey: LLM_KEY, apiKeyOrigin: current.llm.apiKeyOrigin });
    expect(reset.tts.providers.openai).toMatchObject({
      apiKey: TTS_KEY,
      apiKeyOrigin: current.tts.providers.openai.apiKeyOrigin,
    });
    // The key stays bound to Groq even though the base URL goes back to the default service.
    expect(reset.stt.providers.openai).toMatchObject({
      apiKey: STT_KEY,
      apiKeyOrigin: 'https://api.groq.com',
    });

    const defaults = defaultPipelineSettings();
    const withoutKeys = (s: PipelineSettings) => {
      const copy = structuredClone(s);
      copy.llm.apiKey = copy.llm.apiKeyOrigin = '';
      copy.tts.providers.openai.apiKey = copy.tts.providers.openai.apiKeyOrigin = '';
      copy.stt.providers.openai.apiKey = copy.stt.providers.openai.apiKeyOrigin = '';
      return copy;
    };
    expect(withoutKeys(reset)).toEqual(withoutKeys(defaults));
  });

  it('does not share objects with the settings it was given', () => {
    const defaults = defaultPipelineSettings();
    const reset = keepSavedKeys(defaults, customised());
    reset.stt.providers.openai.apiKey = 'changed';
    expect(defaults.stt.providers.openai.apiKey).toBe('');
  });
});
