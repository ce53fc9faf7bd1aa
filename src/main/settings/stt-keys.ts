import type { PipelineSettings } from '../../shared/settings';
import { STT_PROVIDER_INFOS, type SttProviderId } from '../../shared/stt-providers/catalog';
import type { TtsKeySlot } from './tts-keys';

/**
 * Speech-to-text services whose settings hold an API key: stored like the voice keys — encrypted
 * in `secrets.sttApiKeys`, bound to an origin, never sent to the renderer. Derived from the
 * schemas, so a new keyed provider needs nothing here.
 */
export const KEYED_STT_PROVIDERS = STT_PROVIDER_INFOS.filter(
  (info) => 'apiKey' in info.settings.shape && 'apiKeyOrigin' in info.settings.shape,
).map((info) => info.id) as SttProviderId[];

/** The key fields of speech-to-text provider `id` (all three are in every keyed provider's schema). */
export function sttKeySlot(settings: PipelineSettings, id: SttProviderId): TtsKeySlot {
  return settings.stt.providers[id] as unknown as TtsKeySlot;
}
