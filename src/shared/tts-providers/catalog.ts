import type { z } from 'zod';
import type { StreamAudioFormat } from '../audio-format';
import { edgeInfo } from './edge';
import { offlineInfo } from './offline';
import { openaiInfo } from './openai';
import type { TtsProviderInfo } from './provider-info';

/**
 * Every speech provider's declaration (schema, label, capabilities), with no Node code, so the
 * settings schema and the renderer can import it. An entry here and one in registry.ts (the
 * engines) are all a new provider needs outside its folder; TypeScript refuses one without the other.
 */
export const TTS_PROVIDER_INFOS = [edgeInfo, openaiInfo, offlineInfo] as const;

export type TtsProviderId = (typeof TTS_PROVIDER_INFOS)[number]['id'];

export const TTS_PROVIDER_IDS = TTS_PROVIDER_INFOS.map((info) => info.id) as [
  TtsProviderId,
  ...TtsProviderId[],
];

export function providerInfo(id: TtsProviderId): (typeof TTS_PROVIDER_INFOS)[number] {
  return TTS_PROVIDER_INFOS.find((info) => info.id === id)!;
}

/** The settings object of every provider, keyed by id: `tts.providers` in the settings schema. */
export type TtsProviderSchemas = {
  [Info in (typeof TTS_PROVIDER_INFOS)[number] as Info['id']]: Info['settings'];
};

export const TTS_PROVIDER_SCHEMAS = Object.fromEntries(
  TTS_PROVIDER_INFOS.map((info) => [info.id, info.settings]),
) as TtsProviderSchemas;

/** Every provider's settings, as `tts.providers` holds them. */
export type TtsProvidersSettingsOf = { [Id in TtsProviderId]: z.infer<TtsProviderSchemas[Id]> };

/** The audio the provider `id` emits with its settings in `providers`. */
export function audioFormatOf(id: TtsProviderId, providers: TtsProvidersSettingsOf): StreamAudioFormat {
  const info = providerInfo(id) as unknown as TtsProviderInfo<TtsProviderId, z.ZodObject>;
  return info.capabilities.audio(providers[id]);
}
