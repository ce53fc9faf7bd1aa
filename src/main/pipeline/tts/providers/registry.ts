import type { TtsProviderId, TtsProviderSchemas } from '../../../../shared/tts-providers/catalog';
import { edgeProvider } from './edge';
import { offlineProvider } from './offline';
import { openaiProvider } from './openai';
import type { TtsProvider } from './provider';

/**
 * Every speech provider with its engine factory. A new provider is one folder (schema.ts with no
 * Node code, its engine, index.ts) plus one line here and one in catalog.ts.
 */
export const TTS_PROVIDERS: { [Id in TtsProviderId]: TtsProvider<Id, TtsProviderSchemas[Id]> } = {
  edge: edgeProvider,
  openai: openaiProvider,
  offline: offlineProvider,
};
