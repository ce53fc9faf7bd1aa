import OpenAI from 'openai';
import { apiKeyFor } from '../secrets/key-binding';
import type { Logger } from './logger';

/** The SDK insists on a key; servers that need none (local ones) ignore this one. */
const NO_KEY = 'no-key';

/** An OpenAI-compatible endpoint whose key is bound to the origin it was entered for. */
export interface KeyedEndpoint {
  baseUrl: string;
  apiKey: string;
  apiKeyOrigin: string;
}

export interface KeyBoundOpenAiOptions {
  /** Names the service in the log line when a key is withheld ("speech", "speech-to-text"). */
  service: string;
  /** What the user can do about a withheld key, ending the log line. */
  advice: string;
  /** Logger child name for the SDK's own messages. */
  logName: string;
  /** The error a refused key (plain http to a remote host) fails the request with. */
  refused: (reason: string) => Error;
}

/**
 * One `openai` SDK client for a voice or speech-to-text service, rebuilt only when the base URL or
 * the key actually sent changes (a settings change applies to the next request). The key goes
 * only to the origin it was entered for (key-binding.ts), as for the LLM; SDK retries are off,
 * since each caller decides what a failure means (a fallback voice, a retry button).
 */
export class KeyBoundOpenAi {
  private client: OpenAI | undefined;
  private clientKey = '';

  constructor(
    private readonly logger: Logger,
    private readonly options: KeyBoundOpenAiOptions,
  ) {}

  for(endpoint: KeyedEndpoint): OpenAI {
    this.logger.addSecret(endpoint.apiKey);
    const decision = apiKeyFor(endpoint);
    if (decision.refuse) throw this.options.refused(decision.withheld);
    if (decision.withheld)
      this.logger.warn(
        `The saved ${this.options.service} API key is for ${endpoint.apiKeyOrigin || 'another server'}, so it was not sent to ${endpoint.baseUrl}; ${this.options.advice}`,
      );
    const key = JSON.stringify([endpoint.baseUrl, decision.key]);
    if (!this.client || key !== this.clientKey) {
      this.client = new OpenAI({
        baseURL: endpoint.baseUrl,
        apiKey: decision.key || NO_KEY,
        maxRetries: 0,
        logger: this.logger.child(this.options.logName),
      });
      this.clientKey = key;
    }
    return this.client;
  }

  reset(): void {
    this.client = undefined;
  }
}
