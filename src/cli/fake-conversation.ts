import { Conversation } from '../main/pipeline/conversation';
import { createLogger } from '../main/pipeline/logger';
import { EdgeTtsEngine } from '../main/pipeline/tts/edge-tts-engine';
import { parsePipelineSettings, type PipelineSettingsInput } from '../shared/settings';

/**
 * A conversation against the fake upstreams, as the benchmarks measure it: the plain Edge engine
 * (no offline fallback to blur the numbers) and only warnings in the log.
 */
export function fakeConversation(
  upstreams: { llmBaseUrl: string; ttsEndpoint: string },
  overrides: PipelineSettingsInput = {},
): Conversation {
  const logger = createLogger({ level: 'warn' });
  const settings = parsePipelineSettings({
    ...overrides,
    llm: { baseUrl: upstreams.llmBaseUrl, model: 'kiyo-fake', ...overrides.llm },
  });
  return new Conversation({
    settings,
    logger,
    tts: new EdgeTtsEngine(settings.tts, logger, upstreams.ttsEndpoint),
  });
}
