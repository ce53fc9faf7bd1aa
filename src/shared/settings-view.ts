import type { LlmSettings, PipelineSettings, SttSettings, TtsSettings } from './settings';
import type { SttProviderId } from './stt-providers/catalog';
import type { TtsProviderId } from './tts-providers/catalog';

/**
 * The settings as the renderer sees them. The API key never crosses into the renderer: `apiKey`
 * is always '' and `apiKeySet` says whether one is stored, so the form can show "••••" and send
 * the key back only when the user types a new one.
 */
export type RendererSettings = Omit<PipelineSettings, 'llm' | 'tts' | 'stt'> & {
  llm: LlmSettings & { apiKeySet: boolean };
  /** The same for a voice service's key (`tts.providers.<id>.apiKey`): set or not, never the key. */
  tts: TtsSettings & { apiKeysSet: Partial<Record<TtsProviderId, boolean>> };
  /** The same for the speech-to-text service's key (`stt.providers.<id>.apiKey`). */
  stt: SttSettings & { apiKeysSet: Partial<Record<SttProviderId, boolean>> };
};

/**
 * A setting's label as Preferences shows it, from its key: `firstSegmentMaxChars` → "First
 * segment max" (the unit is shown apart). Messages about a setting use it too, never the key.
 */
export function settingLabel(key: string): string {
  const words = key
    .replace(/Ms$|Chars$|Bytes$|Seconds$|Mb$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
