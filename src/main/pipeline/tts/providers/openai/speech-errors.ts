import { APIConnectionError, APIError } from 'openai';
import { PipelineError } from '../../../pipeline-error';

/**
 * An OpenAI-compatible speech server's failure in words a user can act on. HTTP statuses are the
 * same on OpenAI and on the local servers (Kokoro-FastAPI, openedai-speech, LocalAI).
 */
export function speechError(error: unknown, baseUrl: string): PipelineError {
  if (error instanceof PipelineError) return error;
  const at = `the speech server at ${baseUrl}`;
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    if (status === 401 || status === 403)
      return new PipelineError(
        'tts-failed',
        `${capital(at)} refused the API key (HTTP ${status}). Check the key in Preferences → Voice.`,
        false,
        { cause: error },
      );
    if (status === 429)
      return new PipelineError(
        'tts-connection',
        `${capital(at)} says too many requests or no credit left (HTTP 429).`,
        true,
        { cause: error },
      );
    if (status === 404)
      return new PipelineError(
        'tts-failed',
        `${capital(at)} has no /audio/speech (HTTP 404). Check the base URL (it usually ends in /v1).`,
        false,
        { cause: error },
      );
    if (status >= 500)
      return new PipelineError('tts-connection', `${capital(at)} failed (HTTP ${status}).`, true, {
        cause: error,
      });
    return new PipelineError(
      'tts-failed',
      `${capital(at)} refused the request (HTTP ${status}): ${firstLine(error.message)}. Check the model and voice.`,
      false,
      { cause: error },
    );
  }
  if (error instanceof APIConnectionError)
    return new PipelineError(
      'tts-connection',
      `Could not connect to ${at}: ${firstLine(causeMessage(error))}.`,
      true,
      { cause: error },
    );
  return new PipelineError(
    'tts-dropped',
    `The connection to ${at} dropped in the middle of a clause: ${firstLine(causeMessage(error))}.`,
    true,
    { cause: error },
  );
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function causeMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? cause.message : error.message;
}

const firstLine = (text: string) => text.split('\n')[0]!.slice(0, 200).replace(/\.$/, '');
