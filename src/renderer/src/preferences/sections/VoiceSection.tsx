import { useCallback, useState } from 'react';
import { z } from 'zod';
import {
  TTS_PROVIDER_INFOS,
  providerInfo,
  type TtsProviderId,
} from '../../../../shared/tts-providers/catalog';
import { SettingField } from '../SettingField';
import type { SectionProps } from '../PreferencesApp';
import { SaveStatus } from '../save-status';
import { EdgeVoicePicker } from './voice/EdgeVoicePicker';
import { ProviderKeyField } from './voice/ProviderKeyField';

const SAMPLES: Record<string, string> = {
  ja: 'こんにちは、キヨです。今日も一緒に遊ぼうね！',
  zh: '你好，我是Kiyo。今天也一起玩吧！',
};
const sampleFor = (locale: string) =>
  SAMPLES[locale.slice(0, 2)] ?? "Hi, I'm Kiyo! This is how I sound today.";

/** The choices of an enum setting (a format, say), read from its schema. */
function enumOptions(field: z.ZodType): readonly string[] | undefined {
  const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as { enum?: unknown[] };
  return Array.isArray(json.enum) ? json.enum.map(String) : undefined;
}

/**
 * Preferences → Voice: which voice service speaks, which take over when it fails, and the chosen
 * one's own settings, rendered from the schema it declares (src/shared/tts-providers). A change
 * applies from the next reply.
 */
export function VoiceSection({ bridge, settings, save }: SectionProps) {
  const tts = settings.tts;
  const chosen = tts.provider;
  const info = providerInfo(chosen);
  const values = tts.providers[chosen] as Record<string, unknown>;
  const [error, setError] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const [locale, setLocale] = useState<string | undefined>();
  const onLocale = useCallback((next: string | undefined) => setLocale(next), []);

  const saveField = (key: string, value: unknown) =>
    save({ tts: { providers: { [chosen]: { [key]: value } } } }, `tts.providers.${chosen}.${key}`);
  const field = (key: string) => {
    const schema = info.settings.shape[key as keyof typeof info.settings.shape] as z.ZodType;
    return (
      <SettingField
        key={`${chosen}.${key}`}
        section="tts"
        name={`providers.${chosen}.${key}`}
        value={values[key]}
        options={enumOptions(schema)}
        multiline={key === 'instructions'}
        onCommit={(value) => saveField(key, value)}
      />
    );
  };
  const preview = async () => {
    setPreviewing(true);
    const result = await bridge.previewVoice(sampleFor(locale ?? String(values.voice ?? 'en')));
    setError(result.ok ? '' : result.error);
    setPreviewing(false);
  };
  const toggleFallback = (id: TtsProviderId, on: boolean) => {
    const next = TTS_PROVIDER_INFOS.map((i) => i.id).filter((other) =>
      other === id ? on : tts.fallback.includes(other),
    );
    void save({ tts: { fallback: next } }, 'tts.fallback');
  };

  const keys = Object.keys(info.settings.shape).filter((key) => key !== 'apiKeyOrigin');
  return (
    <section>
      <h2>Voice</h2>
      <div className="field" data-setting="tts.provider">
        <label htmlFor="tts-provider">Voice service</label>
        <select
          id="tts-provider"
          value={chosen}
          onChange={(e) => void save({ tts: { provider: e.target.value } }, 'tts.provider')}
        >
          {TTS_PROVIDER_INFOS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label.charAt(0).toUpperCase() + p.label.slice(1)}
            </option>
          ))}
        </select>
        <p className="hint">Who speaks the replies; a change applies from the next reply.</p>
        <SaveStatus owner="tts.provider" />
      </div>
      <fieldset className="field" data-setting="tts.fallback">
        <legend>When it fails, speak with</legend>
        {TTS_PROVIDER_INFOS.filter((p) => p.id !== chosen).map((p) => (
          <label key={p.id}>
            <input
              type="checkbox"
              checked={tts.fallback.includes(p.id)}
              onChange={(e) => toggleFallback(p.id, e.target.checked)}
            />{' '}
            the {p.label}
          </label>
        ))}
        <p className="hint">Tried in this order; the failed service is tried again in the background.</p>
        <SaveStatus owner="tts.fallback" />
      </fieldset>
      <div data-provider-form={chosen}>
        {keys.map((key) => {
          if (key === 'apiKey')
            return (
              <ProviderKeyField
                key={`${chosen}.apiKey`}
                id={chosen}
                isSet={tts.apiKeysSet[chosen] === true}
                owner={`tts.providers.${chosen}.apiKey`}
                save={(apiKey) => saveField('apiKey', apiKey)}
              />
            );
          if (key === 'voice' && info.capabilities.voiceList)
            return (
              <EdgeVoicePicker
                key={`${chosen}.voice`}
                bridge={bridge}
                value={String(values.voice)}
                onChange={(voice) => void saveField('voice', voice)}
                fallback={field('voice')}
                onLocale={onLocale}
              />
            );
          return field(key);
        })}
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="row">
        <button onClick={() => void preview()} disabled={previewing}>
          Preview voice
        </button>
        <span className="hint">Spoken by the avatar, through the same pipeline as a reply.</span>
      </div>
    </section>
  );
}
