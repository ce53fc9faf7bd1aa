import type { z } from 'zod';
import { openaiSttInfo } from './openai';

/**
 * Every speech-to-text provider's declaration, with no Node code, so the settings schema and the
 * renderer can import it. An entry here and one in src/main/pipeline/stt/registry.ts (the
 * transcribers) are all a new provider needs; TypeScript refuses one without the other.
 */
export const STT_PROVIDER_INFOS = [openaiSttInfo] as const;

export type SttProviderId = (typeof STT_PROVIDER_INFOS)[number]['id'];

export const STT_PROVIDER_IDS = STT_PROVIDER_INFOS.map((info) => info.id) as [
  SttProviderId,
  ...SttProviderId[],
];

export function sttProviderInfo(id: SttProviderId): (typeof STT_PROVIDER_INFOS)[number] {
  return STT_PROVIDER_INFOS.find((info) => info.id === id)!;
}

/** The settings object of every provider, keyed by id: `stt.providers` in the settings schema. */
export type SttProviderSchemas = {
  [Info in (typeof STT_PROVIDER_INFOS)[number] as Info['id']]: Info['settings'];
};

/** Every provider's settings, as `stt.providers` holds them. */
export type SttProvidersSettingsOf = { [Id in SttProviderId]: z.infer<SttProviderSchemas[Id]> };
