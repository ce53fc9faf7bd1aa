import type { PipelineSettings } from '../../shared/settings';
import { KEYED_STT_PROVIDERS, sttKeySlot } from './stt-keys';
import { KEYED_TTS_PROVIDERS, ttsKeySlot, type TtsKeySlot } from './tts-keys';
import type { SttProviderId } from '../../shared/stt-providers/catalog';
import type { TtsProviderId } from '../../shared/tts-providers/catalog';

/**
 * The settings sections whose providers carry their own API key (the voice's and speech-to-text's):
 * the same storage, patch and redaction rules apply to both, so persistence walks this list.
 */
export interface ProviderKeyGroup {
  /** `tts` or `stt`: the section whose `providers.<id>` hold the keys. */
  section: 'tts' | 'stt';
  /** Where their encrypted keys live in the stored document's `secrets`. */
  secretsKey: 'ttsApiKeys' | 'sttApiKeys';
  /** Top-level fields of the section copied from a patch as they are (the provider choice…). */
  plainFields: readonly string[];
  ids: readonly string[];
  slot(settings: PipelineSettings, id: string): TtsKeySlot;
}

export const TTS_KEY_GROUP: ProviderKeyGroup = {
  section: 'tts',
  secretsKey: 'ttsApiKeys',
  plainFields: ['provider', 'fallback'],
  ids: KEYED_TTS_PROVIDERS,
  slot: (settings, id) => ttsKeySlot(settings, id as TtsProviderId),
};

export const STT_KEY_GROUP: ProviderKeyGroup = {
  section: 'stt',
  secretsKey: 'sttApiKeys',
  plainFields: ['provider'],
  ids: KEYED_STT_PROVIDERS,
  slot: (settings, id) => sttKeySlot(settings, id as SttProviderId),
};

export const PROVIDER_KEY_GROUPS: readonly ProviderKeyGroup[] = [TTS_KEY_GROUP, STT_KEY_GROUP];
