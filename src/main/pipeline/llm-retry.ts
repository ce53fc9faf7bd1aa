import { setTimeout as sleep } from 'node:timers/promises';
import { APIConnectionError, APIError } from 'openai';
import type { LlmSettings } from '../../shared/settings';
import type { Logger } from './logger';
import { PipelineError } from './pipeline-error';
import { backoffMs, retryAfterMs, seconds } from './retry-after';

/**
 * Retries an LLM request after HTTP 408/409/429/5xx or a failed connection, like the openai SDK
 * would, with two differences that matter here: the wait is abortable (the SDK's retry sleep
 * ignores the abort signal, so a server asking for `Retry-After: 3600` froze cancellation and new
 * turns for an hour), and a server asking for more than `maxRetryWaitMs` fails the request at once
 * with a plain message instead of being obeyed. The SDK itself is given `maxRetries: 0`.
 *
 * Only the request is retried, never a stream that has started: text already shown cannot be
 * taken back.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  settings: Pick<LlmSettings, 'baseUrl' | 'maxRetries' | 'maxRetryWaitMs'>,
  signal: AbortSignal,
  logger: Logger,
  /** Called before every attempt (the first too): the stall timer is re-armed per attempt. */
  beforeAttempt: () => void = () => {},
): Promise<T> {
  for (let retry = 0; ; retry++) {
    beforeAttempt();
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted || !isRetryable(error)) throw error;
      const asked = error instanceof APIError ? retryAfterMs(error.headers) : undefined;
      if (asked !== undefined && asked > settings.maxRetryWaitMs) throw tooLongWait(error, asked, settings);
      if (retry >= settings.maxRetries) throw error;
      const wait = Math.min(asked ?? backoffMs(retry), settings.maxRetryWaitMs);
      const status = error instanceof APIError && error.status ? `HTTP ${error.status}` : 'no connection';
      logger.info(
        `LLM request failed (${status}); retrying in ${seconds(wait)} s${asked === undefined ? '' : ' as the server asked'} (retry ${retry + 1} of ${settings.maxRetries})`,
      );
      // Rejects with an AbortError the moment the turn is cancelled or stalls.
      await sleep(wait, undefined, { signal });
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError)) return false;
  const says = error.headers?.get('x-should-retry');
  if (says === 'true' || says === 'false') return says === 'true';
  const status = error.status ?? 0;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function tooLongWait(
  error: unknown,
  asked: number,
  settings: Pick<LlmSettings, 'baseUrl' | 'maxRetryWaitMs'>,
): PipelineError {
  const status = error instanceof APIError ? error.status : undefined;
  return new PipelineError(
    status === 429 ? 'llm-rate-limit' : 'llm-server',
    `The LLM server at ${settings.baseUrl} answered HTTP ${status ?? '?'} and asks to wait ${Math.ceil(asked / 1000)} s ` +
      `before trying again, longer than the ${seconds(settings.maxRetryWaitMs)} s Kiyo waits (Preferences → LLM → ` +
      'max retry wait). Try again later.',
    true,
    { cause: error },
  );
}
