import type { LlmSettings } from '../../shared/settings';
import { LlmClient, describeLlmError, openAiClient } from './llm-stream';
import type { Logger } from './logger';

/** The models an OpenAI-compatible server offers (`GET /v1/models`), sorted. */
export async function listModels(settings: LlmSettings, logger: Logger): Promise<string[]> {
  try {
    const client = openAiClient(settings, logger, { timeout: 8000 });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return ids.sort((a, b) => a.localeCompare(b));
  } catch (error) {
    throw describeLlmError(error, settings);
  }
}

/**
 * "Test connection": asks for a one-word reply through the real streaming path and measures the
 * time to the first token, then stops; a failure throws the same PipelineError a turn would.
 */
export async function measureFirstToken(settings: LlmSettings, logger: Logger): Promise<number> {
  const client = new LlmClient(logger);
  const controller = new AbortController();
  const start = performance.now();
  try {
    for await (const _delta of client.stream(
      {
        ...settings,
        maxTokens: 16,
        maxRetries: 0,
        stallTimeoutMs: Math.min(settings.stallTimeoutMs, 10_000),
      },
      [{ role: 'user', content: 'Reply with one word: ready?' }],
      controller.signal,
    )) {
      return Math.round(performance.now() - start);
    }
    throw describeLlmError(new Error('the server answered with no text at all'), settings);
  } finally {
    controller.abort();
  }
}
