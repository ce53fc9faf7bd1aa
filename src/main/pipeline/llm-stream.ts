import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import type { LlmSettings } from '../../shared/settings';
import type { ChatMessage } from './history';
import { apiKeyFor } from '../secrets/key-binding';
import { withRetries } from './llm-retry';
import type { Logger } from './logger';
import { PipelineError } from './pipeline-error';
import { fetchNotingStreamEnd, reachedDone } from './sse-end';

/** Placeholder for servers that need no key (Ollama, LM Studio): the SDK refuses an empty one. */
const NO_KEY = 'no-key';

/**
 * An OpenAI client for `settings`: the key only if it may go to this base URL (key-binding.ts),
 * retries left to {@link withRetries}, and stream ends watched for `data: [DONE]`. Throws a
 * PipelineError, without sending anything, when the key must not travel to this server.
 */
export function openAiClient(
  settings: LlmSettings,
  logger: Logger,
  options: { timeout?: number } = {},
): OpenAI {
  const decision = apiKeyFor(settings);
  if (decision.refuse) throw new PipelineError('llm-auth', decision.withheld, false);
  return new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: decision.key || NO_KEY,
    maxRetries: 0,
    fetch: fetchNotingStreamEnd,
    logger: logger.child('openai'),
    ...(options.timeout !== undefined && { timeout: options.timeout }),
  });
}

/**
 * Streams the text of one chat completion through the official `openai` SDK, from any
 * OpenAI-compatible server. Yields content deltas; throws {@link PipelineError} with a message
 * a user can act on; returns quietly when `signal` aborts.
 */
export class LlmClient {
  private client: OpenAI | undefined;
  private clientKey = '';

  constructor(private readonly logger: Logger) {}

  private clientFor(settings: LlmSettings): OpenAI {
    const key = JSON.stringify([settings.baseUrl, settings.apiKey, settings.apiKeyOrigin]);
    if (!this.client || key !== this.clientKey) {
      this.client = openAiClient(settings, this.logger);
      this.clientKey = key;
    }
    return this.client;
  }

  async *stream(settings: LlmSettings, messages: ChatMessage[], signal: AbortSignal): AsyncGenerator<string> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let stalled = false;
    let timer: NodeJS.Timeout | undefined;
    const armStallTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, settings.stallTimeoutMs);
    };

    let finished = false;
    if (signal.aborted) return;
    try {
      const client = this.clientFor(settings);
      const { data: completion, response } = await withRetries(
        () =>
          client.chat.completions
            .create(
              {
                model: settings.model,
                messages,
                temperature: settings.temperature,
                max_tokens: settings.maxTokens,
                stream: true,
              },
              { signal: controller.signal },
            )
            .withResponse(),
        settings,
        controller.signal,
        this.logger,
        armStallTimer,
      );
      for await (const chunk of completion) {
        if (controller.signal.aborted) break;
        armStallTimer();
        const choice = chunk.choices[0];
        if (choice?.finish_reason) finished = true;
        const delta = choice?.delta?.content;
        if (delta) yield delta;
      }
      // `data: [DONE]` ends a reply properly even without a finish_reason (llama.cpp sends none).
      if (reachedDone(response)) finished = true;
    } catch (error) {
      if (signal.aborted) return;
      if (stalled) throw stallError(settings);
      throw describeLlmError(error, settings);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    // The SDK ends the iteration quietly when its request is aborted.
    if (signal.aborted) return;
    if (stalled) throw stallError(settings);
    if (!finished) {
      throw new PipelineError(
        'llm-incomplete',
        `The LLM server at ${settings.baseUrl} closed the reply before finishing it. What arrived was kept.`,
        true,
      );
    }
  }
}

function stallError(settings: LlmSettings): PipelineError {
  return new PipelineError(
    'llm-stall',
    `The LLM server at ${settings.baseUrl} stopped sending text for ${settings.stallTimeoutMs / 1000} s, so the reply was abandoned.`,
    true,
  );
}

export function describeLlmError(error: unknown, settings: LlmSettings): PipelineError {
  if (error instanceof PipelineError) return error;
  const where = settings.baseUrl;
  const detail = error instanceof APIError ? serverDetail(error) : '';
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    const withheld = apiKeyFor(settings).withheld;
    return new PipelineError(
      'llm-auth',
      withheld
        ? `The LLM server at ${where} wants an API key (HTTP ${error.status}). ${withheld}${detail}`
        : `The LLM server at ${where} rejected the API key (HTTP ${error.status}). Check your API key in Preferences → LLM.${detail}`,
      false,
      { cause: error },
    );
  }
  if (error instanceof NotFoundError) {
    return new PipelineError(
      'llm-not-found',
      `The LLM server at ${where} has no model "${settings.model}" or no chat endpoint (HTTP 404). Check the base URL and model name.${detail}`,
      false,
      { cause: error },
    );
  }
  if (error instanceof RateLimitError) {
    return new PipelineError(
      'llm-rate-limit',
      `The LLM server at ${where} is rate-limiting requests (HTTP 429), even after ${settings.maxRetries} retries. Wait a moment and try again.${detail}`,
      true,
      { cause: error },
    );
  }
  if (error instanceof BadRequestError) {
    return new PipelineError(
      'llm-bad-request',
      `The LLM server at ${where} refused the request (HTTP 400).${detail}`,
      false,
      {
        cause: error,
      },
    );
  }
  if (error instanceof APIConnectionTimeoutError || error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return new PipelineError(
      'llm-connection',
      `Could not reach the LLM server at ${where}${cause}. Is it running, and is the base URL right?`,
      true,
      { cause: error },
    );
  }
  if (error instanceof APIError) {
    const status = error.status ? `HTTP ${error.status}` : 'an error in the stream';
    return new PipelineError('llm-server', `The LLM server at ${where} failed (${status}).${detail}`, true, {
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new PipelineError(
      'llm-malformed',
      `The LLM server at ${where} sent a malformed streaming response (${error.message}). Is it really OpenAI-compatible?`,
      true,
      { cause: error },
    );
  }
  if (error instanceof Error && /terminated|socket|ECONNRESET|other side closed/i.test(error.message)) {
    return new PipelineError(
      'llm-incomplete',
      `The connection to the LLM server at ${where} broke in the middle of the reply (${error.message}). What arrived was kept.`,
      true,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PipelineError('llm-server', `The LLM request to ${where} failed: ${message}`, true, {
    cause: error,
  });
}

function serverDetail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : '';
  return message ? ` Server said: "${message.slice(0, 200)}"` : '';
}
