import { Conversation } from '../../src/main/pipeline/conversation';
import { PhraseCache } from '../../src/main/pipeline/tts/phrase-cache';
import { providerOfKey } from '../../src/main/pipeline/tts/phrase-key';
import { ProviderTtsEngine } from '../../src/main/pipeline/tts/provider-tts-engine';
import { parsePipelineSettings, type PipelineSettingsInput } from '../../src/shared/settings';
import { testLogger, type Fakes } from './pipeline-fixture';

/**
 * A conversation composed as the app composes it, with a phrase cache in front of the fake Edge
 * voice. Nothing is preloaded unless the test asks (preloading would move the fake's request
 * count), and the instant first sound is as the overrides say (off by default).
 */
export function cachedConversation(
  fakes: Fakes,
  overrides: PipelineSettingsInput = {},
  lines: string[] = [],
) {
  const settings = parsePipelineSettings({
    ...overrides,
    llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake', maxRetries: 0, ...overrides.llm },
    tts: {
      fallback: [],
      ...overrides.tts,
      providers: {
        ...overrides.tts?.providers,
        // Generous: the fake encodes each new text on first use, slowly on a loaded machine.
        edge: { warmConnections: 1, timeoutMs: 20_000, ...overrides.tts?.providers?.edge },
      },
    },
    phraseCache: { preloadPhrases: [], ...overrides.phraseCache },
  });
  const logger = testLogger(lines);
  const cache = new PhraseCache(settings.phraseCache.sizeMb * 2 ** 20);
  const tts = new ProviderTtsEngine(settings.tts, {
    logger,
    endpoints: { edge: fakes.tts.url },
    phraseCache: cache,
  });
  const conversation = new Conversation({ settings, tts, logger });
  return { settings, cache, tts, conversation };
}

/** The cache's keys by voice provider. */
export function cachedProviders(cache: PhraseCache): string[] {
  return [...cache.leastRecentFirst()].map(([key]) => providerOfKey(key));
}
