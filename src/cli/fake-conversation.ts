import { Conversation } from '../main/pipeline/conversation';
import { createLogger } from '../main/pipeline/logger';
import type { TtsProviderId } from '../shared/tts-providers/catalog';
import type { PhraseCache } from '../main/pipeline/tts/phrase-cache';
import { ProviderTtsEngine } from '../main/pipeline/tts/provider-tts-engine';
import { parsePipelineSettings, type PipelineSettingsInput } from '../shared/settings';

/** Where the fake upstreams listen (see serve.ts). */
export interface FakeUpstreams {
  llmBaseUrl: string;
  ttsEndpoint: string;
  speechBaseUrl?: string;
}

/**
 * A conversation against the fake upstreams, as the benchmarks measure it: one voice (no fallback
 * to blur the numbers) and only warnings in the log. The TTS may take 30 s before it counts as
 * failed: the fakes encode each new clause with espeak-ng the first time they hear it, which on a
 * busy machine takes longer than the app's 8 s; the timeout never enters a measured figure, it
 * only decides whether a slow warm-up turn aborts the run.
 */
export function fakeConversation(
  upstreams: FakeUpstreams,
  overrides: PipelineSettingsInput = {},
  provider: TtsProviderId = 'edge',
  /** A phrase cache in front of the voice (the phrase benchmark); without one, every clause is synthesised. */
  phraseCache?: PhraseCache,
): Conversation {
  const logger = createLogger({ level: 'warn' });
  const providers = overrides.tts?.providers;
  const settings = parsePipelineSettings({
    ...overrides,
    llm: { baseUrl: upstreams.llmBaseUrl, model: 'kiyo-fake', ...overrides.llm },
    tts: {
      ...overrides.tts,
      provider,
      fallback: [],
      providers: {
        ...providers,
        edge: { timeoutMs: 30_000, ...providers?.edge },
        openai: {
          ...(upstreams.speechBaseUrl && { baseUrl: upstreams.speechBaseUrl }),
          model: 'tts-1',
          timeoutMs: 30_000,
          ...providers?.openai,
        },
      },
    },
  });
  return new Conversation({
    settings,
    logger,
    tts: new ProviderTtsEngine(settings.tts, {
      logger,
      endpoints: { edge: upstreams.ttsEndpoint },
      ...(phraseCache && { phraseCache }),
    }),
  });
}
