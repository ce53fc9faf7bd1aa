import type { PipelineSettings } from '../../shared/settings';
import { TTS_PROVIDER_INFOS, type TtsProviderId } from '../../shared/tts-providers/catalog';

/**
 * Voice services whose settings hold an API key (`apiKey` + `apiKeyOrigin` in their schema): their
 * keys are stored like the LLM key — encrypted in `secrets.ttsApiKeys`, bound to an origin, never
 * sent to the renderer. Derived from the schemas, so a new keyed provider needs nothing here.
 */
export const KEYED_TTS_PROVIDERS = TTS_PROVIDER_INFOS.filter(
  (info) => 'apiKey' in info.settings.shape && 'apiKeyOrigin' in info.settings.shape,
).map((info) => info.id) as TtsProviderId[];

export interface TtsKeySlot {
  apiKey: string;
  apiKeyOrigin: string;
  baseUrl: string;
}

/** The key fields of provider `id` (all three are in every keyed provider's schema). */
export function ttsKeySlot(settings: PipelineSettings, id: TtsProviderId): TtsKeySlot {
  return settings.tts.providers[id] as unknown as TtsKeySlot;
}
