import { Conversation } from '../main/pipeline/conversation';
import { createLogger } from '../main/pipeline/logger';
import { EdgeTtsEngine } from '../main/pipeline/tts/edge-tts-engine';
import { parsePipelineSettings, type PipelineSettingsInput } from '../shared/settings';

/**
 * A conversation against the fake upstreams, as the benchmarks measure it: the plain Edge engine
 * (no offline fallback to blur the numbers) and only warnings in the log. The TTS may take 30 s
 * before it counts as failed: the fake encodes each new clause with espeak-ng the first time it
 * hears it, which on a busy machine takes longer than the app's 8 s; the timeout never enters a
 * measured figure, it only decides whether a slow warm-up turn aborts the run.
 */
export function fakeConversation(
  upstreams: { llmBaseUrl: string; ttsEndpoint: string },
  overrides: PipelineSettingsInput = {},
): Conversation {
  const logger = createLogger({ level: 'warn' });
  const settings = parsePipelineSettings({
    ...overrides,
    llm: { baseUrl: upstreams.llmBaseUrl, model: 'kiyo-fake', ...overrides.llm },
    tts: { timeoutMs: 30_000, ...overrides.tts },
  });
  return new Conversation({
    settings,
    logger,
    tts: new EdgeTtsEngine(settings.tts, logger, upstreams.ttsEndpoint),
  });
}
