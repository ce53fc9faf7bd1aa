import { concatBytes } from '../../../../../shared/bytes';
import type { Logger } from '../../../logger';
import { isAbortError, PipelineError } from '../../../pipeline-error';
import { KeyBoundOpenAi } from '../../../key-bound-openai';
import type { AudioChunk, SynthesisRequest } from '../../tts-engine';
import type { ProviderEngine } from '../provider';
import { openaiInfo, type OpenAiSpeechSettings } from '../../../../../shared/tts-providers/openai';
import { speechError } from './speech-errors';

/** Why a read stopped: the user's abort, or one of our timers. */
type Stop = { kind: 'timeout'; beforeFirstByte: boolean };

/**
 * OpenAI-compatible speech: one `POST {baseUrl}/audio/speech` per clause through the `openai`
 * SDK, its response body read as it arrives (PCM or MP3), so playback starts with the first bytes
 * instead of the whole clause. No retries here: the fallback list decides what speaks instead.
 */
export class OpenAiSpeechEngine implements ProviderEngine<OpenAiSpeechSettings> {
  private readonly clients: KeyBoundOpenAi;

  constructor(
    private settings: OpenAiSpeechSettings,
    private readonly logger: Logger,
  ) {
    logger.addSecret(settings.apiKey);
    this.clients = new KeyBoundOpenAi(logger, {
      service: 'speech',
      advice: 'enter the key for this server in Preferences → Voice.',
      logName: 'openai-speech',
      refused: (reason) => new PipelineError('tts-failed', reason, false),
    });
  }

  updateSettings(settings: OpenAiSpeechSettings): void {
    this.settings = settings;
    this.logger.addSecret(settings.apiKey);
  }

  warm(): void {}

  close(): void {
    this.clients.reset();
  }

  /** A one-character request whose answer is not read: true when the server accepts requests. */
  async probe(): Promise<boolean> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      const response = await this.request('.', this.settings, controller.signal);
      return response.ok;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private request(text: string, settings: OpenAiSpeechSettings, signal: AbortSignal): Promise<Response> {
    return this.clients.for(settings).audio.speech.create(
      {
        model: settings.model,
        voice: settings.voice,
        input: text,
        speed: settings.speed,
        response_format: settings.responseFormat,
        ...(settings.instructions !== '' && { instructions: settings.instructions }),
      },
      { signal },
    );
  }

  async *synthesize({ text, signal, onRequestSent }: SynthesisRequest): AsyncGenerator<AudioChunk> {
    const settings = this.settings;
    const format = openaiInfo.capabilities.audio(settings);
    const controller = new AbortController();
    let stop: Stop | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = (beforeFirstByte: boolean) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stop = { kind: 'timeout', beforeFirstByte };
        controller.abort();
      }, settings.timeoutMs);
    };
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    // A cancelled turn stops at once: aborting the request alone ends a read in progress only
    // when the next bytes arrive, cancelling the body ends it (and closes the connection) now.
    const onAbort = () => {
      controller.abort();
      void reader?.cancel().catch(() => {});
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal.aborted) return;
      arm(true);
      const pending = this.request(text, settings, controller.signal);
      onRequestSent?.();
      const response = await pending;
      if (!response.body) throw new Error('the server sent no audio');
      reader = response.body.getReader();
      let first = true;
      // PCM samples are two bytes; the network may split one between chunks. The player gets
      // whole samples only, the odd byte waits for the next chunk.
      let carry: Uint8Array | undefined;
      for (;;) {
        const { done, value } = await reader.read();
        if (signal.aborted) return;
        if (done) break;
        if (value.byteLength === 0) continue;
        arm(false);
        first = false;
        let data = carry ? concatBytes([carry, value]) : value;
        carry = undefined;
        if (format.codec === 'pcm' && data.byteLength % 2 === 1) {
          carry = data.slice(-1);
          data = data.subarray(0, -1);
        }
        if (data.byteLength > 0) yield { data, format };
        if (signal.aborted) return;
      }
      if (first)
        throw new PipelineError(
          'tts-failed',
          `The speech server at ${settings.baseUrl} sent no audio.`,
          false,
        );
    } catch (error) {
      if (signal.aborted) return;
      if (stop?.kind === 'timeout')
        throw new PipelineError(
          'tts-timeout',
          stop.beforeFirstByte
            ? `The speech server at ${settings.baseUrl} sent no audio for ${settings.timeoutMs / 1000} s.`
            : `The speech server at ${settings.baseUrl} stopped sending audio in the middle of a clause for ${settings.timeoutMs / 1000} s.`,
          true,
          { cause: error },
        );
      if (isAbortError(error)) return;
      throw speechError(error, settings.baseUrl);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Leaving early (abort, error, consumer stopped) must not leave the response open.
      if (reader) void reader.cancel().catch(() => {});
      controller.abort();
    }
  }
}
