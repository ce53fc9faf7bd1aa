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
import { PipelineError } from './pipeline-error';
import type { Logger } from './logger';

/** Placeholder for servers that need no key (Ollama, LM Studio): the SDK refuses an empty one. */
const NO_KEY = 'no-key';

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
    const key = JSON.stringify([settings.baseUrl, settings.apiKey, settings.maxRetries]);
    if (!this.client || key !== this.clientKey) {
      this.client = new OpenAI({
        baseURL: settings.baseUrl,
        apiKey: settings.apiKey || NO_KEY,
        maxRetries: settings.maxRetries,
        logger: this.logger.child('openai'),
      });
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
      armStallTimer();
      const completion = await this.clientFor(settings).chat.completions.create(
        {
          model: settings.model,
          messages,
          temperature: settings.temperature,
          max_tokens: settings.maxTokens,
          stream: true,
        },
        { signal: controller.signal },
      );
      for await (const chunk of completion) {
        if (controller.signal.aborted) break;
        armStallTimer();
        const choice = chunk.choices[0];
        if (choice?.finish_reason) finished = true;
        const delta = choice?.delta?.content;
        if (delta) yield delta;
      }
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
  const where = settings.baseUrl;
  const detail = error instanceof APIError ? serverDetail(error) : '';
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new PipelineError(
      'llm-auth',
      `The LLM server at ${where} rejected the API key (HTTP ${error.status}). Check your API key in Preferences → LLM.${detail}`,
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
