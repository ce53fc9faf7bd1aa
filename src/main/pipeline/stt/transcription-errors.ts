import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ErrorCode } from '../../../shared/pipeline-events';
import { PipelineError } from '../pipeline-error';
import { retryAfterMs, seconds } from '../retry-after';

/**
 * A speech-to-text server's failure as an `stt-*` PipelineError. The message is the technical
 * line for the log and Preferences → Advanced; the windows show ERROR_MESSAGES[code] instead.
 * Every one is retryable: the utterance is kept, so the user can send it again once fixed.
 */
export function transcriptionError(error: unknown, baseUrl: string): PipelineError {
  if (error instanceof PipelineError) return error;
  const at = `The speech-to-text server at ${baseUrl}`;
  const fail = (code: ErrorCode, message: string) => new PipelineError(code, message, true, { cause: error });
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    const detail = firstLine(error.message);
    if (status === 401 || status === 403)
      return fail(
        'stt-auth',
        `${at} refused the API key (HTTP ${status}): ${detail}. Check the key in Preferences → Listening.`,
      );
    if (status === 429) {
      const wait = retryAfterMs(error.headers);
      return fail(
        'stt-rate-limit',
        `${at} says too many requests or no credit left (HTTP 429)${wait === undefined ? '' : `; it asks to wait ${seconds(wait)} s`}.`,
      );
    }
    if (status === 404)
      return fail(
        'stt-bad-request',
        `${at} has no /audio/transcriptions or no such model (HTTP 404): ${detail}. Check the base URL (it usually ends in /v1) and the model.`,
      );
    if (status >= 500) return fail('stt-server', `${at} failed (HTTP ${status}): ${detail}.`);
    // 400, 413, 415, 422…: the request itself (model, audio, size) was refused.
    return fail('stt-bad-request', `${at} refused the recording (HTTP ${status}): ${detail}.`);
  }
  if (error instanceof APIConnectionTimeoutError) return fail('stt-timeout', `${at} did not answer in time.`);
  if (error instanceof APIConnectionError)
    return fail(
      'stt-connection',
      `Could not connect to ${at.charAt(0).toLowerCase()}${at.slice(1)}: ${firstLine(causeMessage(error))}.`,
    );
  // Anything else came with an answer: one that could not be read (not JSON, cut short…).
  return fail('stt-server', `${at} sent an answer Kiyo could not read: ${firstLine(causeMessage(error))}.`);
}

function causeMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? cause.message : error.message;
}

const firstLine = (text: string) => text.split('\n')[0]!.slice(0, 200).replace(/\.$/, '');
