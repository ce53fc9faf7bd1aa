import { toFile } from 'openai';
import { SAY_MAX_CHARS } from '../../../shared/ipc';
import type { OpenAiTranscriptionSettings } from '../../../shared/stt-providers/openai';
import { KeyBoundOpenAi } from '../key-bound-openai';
import type { Logger } from '../logger';
import { isAbortError, PipelineError } from '../pipeline-error';
import type { Transcriber } from './transcriber';
import { transcriptionError } from './transcription-errors';

/**
 * OpenAI-compatible speech to text: one `POST {baseUrl}/audio/transcriptions` per utterance
 * through the `openai` SDK (multipart, the WAV as `utterance.wav`). No retries: a failed
 * utterance is kept and the user retries it (a silent second attempt would double the wait).
 * Settings are read on every call, so a change in Preferences applies to the next utterance.
 */
export class OpenAiTranscriber implements Transcriber {
  private readonly clients: KeyBoundOpenAi;

  constructor(
    private readonly settings: () => OpenAiTranscriptionSettings,
    private readonly logger: Logger,
  ) {
    logger.addSecret(settings().apiKey);
    this.clients = new KeyBoundOpenAi(logger, {
      service: 'speech-to-text',
      advice: 'confirm it or enter the key for this server in Preferences → Listening.',
      logName: 'openai-stt',
      refused: (reason) => new PipelineError('stt-auth', reason, true),
    });
  }

  async transcribe(wav: Uint8Array, signal: AbortSignal): Promise<string> {
    const settings = this.settings();
    // One deadline for the whole exchange, body included: the SDK's own timeout stops at the
    // response headers, and a server that sends headers and then nothing must not hang the turn.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, settings.timeoutMs);
    const onAbort = () => deadline.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let text: string;
    try {
      const client = this.clients.for(settings);
      const file = await toFile(wav, 'utterance.wav', { type: 'audio/wav' });
      const result = await client.audio.transcriptions.create(
        {
          file,
          model: settings.model,
          response_format: 'json',
          ...(settings.language ? { language: settings.language } : {}),
        },
        { signal: deadline.signal, timeout: settings.timeoutMs, maxRetries: 0 },
      );
      text = typeof result?.text === 'string' ? result.text : '';
    } catch (error) {
      if (signal.aborted) throw error;
      if (timedOut)
        throw new PipelineError(
          'stt-timeout',
          `The speech-to-text server at ${settings.baseUrl} did not answer within ${settings.timeoutMs} ms.`,
          true,
          { cause: error },
        );
      if (isAbortError(error)) throw error;
      throw transcriptionError(error, settings.baseUrl);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    const clean = cleanTranscript(text);
    if (clean === '')
      throw new PipelineError(
        'stt-empty',
        `The speech-to-text server at ${settings.baseUrl} heard no words.`,
        true,
      );
    return clean;
  }
}

/**
 * One line of plain text, at most what a typed input may be: a hostile or broken server cannot
 * put control characters or a megabyte of text into the history and the prompt.
 */
export function cleanTranscript(text: string): string {
  const flat = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= SAY_MAX_CHARS) return flat;
  const cut = flat.slice(0, SAY_MAX_CHARS);
  const space = cut.lastIndexOf(' ');
  return (space > SAY_MAX_CHARS / 2 ? cut.slice(0, space) : cut).trim();
}
