import type { z } from 'zod';
import type { Logger } from '../../logger';
import type { PhraseCache } from '../phrase-cache';
import type { TtsEngine } from '../tts-engine';
import type { TtsProviderInfo } from '../../../../shared/tts-providers/provider-info';

/** An engine built by a provider: takes new settings of its own kind without being rebuilt. */
export interface ProviderEngine<Settings> extends TtsEngine {
  updateSettings(settings: Settings): void;
  /** Resolves true once the service answers again (after a failure); without it, time decides. */
  probe?(): Promise<boolean>;
}

/** What every provider's factory may use. */
export interface ProviderContext {
  logger: Logger;
  /**
   * Where a provider connects instead of its built-in service, by provider id (the fakes in tests
   * and benchmarks, KIYO_TTS_ENDPOINT for Edge). A provider whose address is a setting ignores it.
   */
  endpoints?: Partial<Record<string, string>>;
  /** Where synthesised phrases are kept and reused (tts/phrase-cache.ts); none: every clause is synthesised. */
  phraseCache?: PhraseCache;
}

/** A provider: its declaration plus the factory of its engine. */
export interface TtsProvider<
  Id extends string = string,
  Schema extends z.ZodObject = z.ZodObject,
> extends TtsProviderInfo<Id, Schema> {
  create(settings: z.infer<Schema>, context: ProviderContext): ProviderEngine<z.infer<Schema>>;
}

export function defineProvider<Id extends string, Schema extends z.ZodObject>(
  info: TtsProviderInfo<Id, Schema>,
  create: TtsProvider<Id, Schema>['create'],
): TtsProvider<Id, Schema> {
  return { ...info, create };
}
