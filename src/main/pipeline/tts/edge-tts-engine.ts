import { MsEdgeTTS, type OUTPUT_FORMAT } from 'msedge-tts';
import { MP3 } from '../../../shared/audio-format';
import type { Logger } from '../logger';
import { isAbortError, PipelineError } from '../pipeline-error';
import { guardFrames, UnreadableFrameError } from './edge-frame-guard';
import { WordBoundaryCollector } from './edge-word-boundaries';
import { Mp3FrameCounter, Mp3Resumer } from './mp3-resume';
import { readableChunks, ReadTimeoutError } from './readable-chunks';
import type { EdgeSettings } from '../../../shared/tts-providers/edge';
import type { AudioChunk, SynthesisRequest, TtsEngine } from './tts-engine';

/** The real service; tests and the benchmark point the engine at a local one. */
export const EDGE_ENDPOINT = 'wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud/edge/v1';

interface SocketLike {
  readyState: number;
  terminate?: () => void;
  close: () => void;
}

const OPEN = 1;

/**
 * One msedge-tts client = one WebSocket. A connection serves one clause at a time; parallel
 * clauses use parallel connections, because the service answers requests on one socket in turn.
 */
class EdgeConnection {
  readonly client = new MsEdgeTTS();
  readonly ready: Promise<void>;
  private failed = false;

  constructor(settings: EdgeSettings, logger: Logger) {
    // A frame msedge-tts cannot handle fails this connection's clause instead of the process.
    guardFrames(this.client, (error) => {
      this.failed = true;
      logger.warn(`could not read a message from Edge TTS (${error.message}); that connection is closed`);
    });
    this.ready = this.client
      // Word boundaries time the subtitles' highlighted word; the service sends them only if asked.
      .setMetadata(settings.voice, settings.outputFormat as OUTPUT_FORMAT, { wordBoundaryEnabled: true })
      .catch((error: unknown) => {
        this.failed = true;
        throw error;
      });
    // Nobody may be waiting yet (a warm spare); the failure is seen by whoever awaits `ready`.
    this.ready.catch(() => {});
  }

  private get socket(): SocketLike | undefined {
    // msedge-tts keeps its socket private; we need its state to never send on a dead one
    // (its send path would reconnect without anyone catching a failure).
    return (this.client as unknown as { _ws?: SocketLike })._ws;
  }

  get isOpen(): boolean {
    return !this.failed && this.socket?.readyState === OPEN;
  }

  get isConnecting(): boolean {
    return !this.failed && (this.socket === undefined || this.socket.readyState === 0);
  }

  destroy(): void {
    const socket = this.socket;
    if (!socket) {
      // Still resolving the URL: close as soon as it exists.
      this.ready.then(
        () => this.destroy(),
        () => {},
      );
      return;
    }
    try {
      if (socket.terminate) socket.terminate();
      else socket.close();
    } catch {
      // Closing a socket that never opened throws in some states; it is gone either way.
    }
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const signed = (n: number, unit: string) => `${n >= 0 ? '+' : ''}${n}${unit}`;

export class EdgeTtsEngine implements TtsEngine {
  private idle: EdgeConnection[] = [];
  private settings: EdgeSettings;

  constructor(
    settings: EdgeSettings,
    private readonly logger: Logger,
    endpoint: string = EDGE_ENDPOINT,
  ) {
    this.settings = settings;
    // msedge-tts reads its endpoint from a static field; one endpoint per process is all we need.
    (MsEdgeTTS as unknown as { WSS_URL: string }).WSS_URL = endpoint;
  }

  /** New settings apply to the next clause; connections made for another voice/format are dropped. */
  updateSettings(settings: EdgeSettings): void {
    const reconnect =
      settings.voice !== this.settings.voice || settings.outputFormat !== this.settings.outputFormat;
    this.settings = settings;
    if (reconnect) this.dropIdle();
    this.trimIdle();
  }

  warm(): void {
    this.idle = this.idle.filter((c) => c.isOpen || c.isConnecting);
    while (this.idle.length < this.settings.warmConnections) {
      const connection = new EdgeConnection(this.settings, this.logger);
      connection.ready.catch((error: unknown) => {
        this.logger.warn(`could not pre-connect to Edge TTS: ${(error as Error).message}`);
        this.idle = this.idle.filter((c) => c !== connection);
      });
      this.idle.push(connection);
    }
  }

  close(): void {
    this.dropIdle();
  }

  private dropIdle(): void {
    for (const c of this.idle) c.destroy();
    this.idle = [];
  }

  private trimIdle(): void {
    while (this.idle.length > this.settings.warmConnections) this.idle.pop()?.destroy();
  }

  /** An open connection: a warm one if any is (nearly) ready, otherwise a new one. */
  private async acquire(signal: AbortSignal, fresh: boolean): Promise<EdgeConnection> {
    this.idle = this.idle.filter((c) => c.isOpen || c.isConnecting);
    const index = fresh
      ? -1
      : Math.max(
          this.idle.findIndex((c) => c.isOpen),
          this.idle.findIndex((c) => c.isConnecting),
        );
    const connection =
      index >= 0 ? this.idle.splice(index, 1)[0]! : new EdgeConnection(this.settings, this.logger);
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => connection.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.race([
        connection.ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no connection after ${this.settings.timeoutMs / 1000} s`)),
            this.settings.timeoutMs,
          );
        }),
      ]);
      if (!connection.isOpen) throw new Error('the connection closed as it opened');
      return connection;
    } catch (error) {
      connection.destroy();
      if (signal.aborted) throw error;
      throw new PipelineError(
        'tts-connection',
        `Could not connect to the Edge TTS service: ${(error as Error).message}. Check the network.`,
        true,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.warm();
    }
  }

  private release(connection: EdgeConnection): void {
    if (connection.isOpen && this.idle.length < this.settings.warmConnections) this.idle.unshift(connection);
    else connection.destroy();
  }

  /** Connects a fresh socket (kept as a warm one): true when the service answers. */
  async probe(): Promise<boolean> {
    try {
      this.release(await this.acquire(new AbortController().signal, true));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One clause, retried once on a fresh socket when its socket fails: before any audio (a reused
   * socket the service had closed while idle), or in the middle (a dropped connection), in which
   * case an MP3 clause resumes after the frames already delivered instead of starting over.
   */
  async *synthesize(request: SynthesisRequest): AsyncGenerator<AudioChunk> {
    const mp3 = this.settings.outputFormat.endsWith('mp3');
    const counter = new Mp3FrameCounter();
    // One for both attempts: a resumed clause's words are not handed on twice.
    const words = new WordBoundaryCollector((message) => this.logger.warn(message));
    let delivered = false;
    try {
      for await (const chunk of this.synthesizeOnce(request, false, words)) {
        delivered = true;
        if (mp3) counter.add(chunk.data);
        yield chunk;
      }
      return;
    } catch (error) {
      if (request.signal.aborted || isAbortError(error)) return;
      if (error instanceof PipelineError && error.code === 'tts-connection') throw error;
      this.logger.info(
        delivered
          ? `Edge TTS failed in the middle of a clause (${(error as Error).message}); resuming it on a new socket`
          : `Edge TTS failed before any audio (${(error as Error).message}); retrying on a new socket`,
      );
    }
    const resume = delivered && mp3 ? new Mp3Resumer(counter.total()) : undefined;
    try {
      for await (const chunk of this.synthesizeOnce(request, true, words)) {
        const data = resume ? resume.push(chunk.data) : chunk.data;
        if (data) yield { ...chunk, data };
        else if (chunk.words) yield { data: new Uint8Array(0), format: MP3, words: chunk.words };
      }
      const rest = resume?.end();
      if (rest) yield { data: rest, format: MP3 };
    } catch (error) {
      if (request.signal.aborted || isAbortError(error)) return;
      throw error;
    }
  }

  private async *synthesizeOnce(
    request: SynthesisRequest,
    fresh: boolean,
    words: WordBoundaryCollector,
  ): AsyncGenerator<AudioChunk> {
    const { signal } = request;
    const connection = await this.acquire(signal, fresh);
    if (signal.aborted) {
      connection.destroy();
      return;
    }
    const { rate, pitch, volume, timeoutMs } = this.settings;
    const { audioStream, metadataStream } = connection.client.toStream(escapeXml(request.text), {
      rate: signed(rate, '%'),
      pitch: signed(pitch, 'Hz'),
      volume: signed(volume, '%'),
    });
    const stopListening = words.listen(metadataStream);
    request.onRequestSent?.();
    let complete = false;
    try {
      for await (const chunk of readableChunks(audioStream, { timeoutMs, signal })) {
        // A tight copy: the chunk is a view into a whole WebSocket frame. A word's boundary
        // arrives just before the audio it starts in, so it travels with that audio.
        const timed = words.take();
        yield { data: new Uint8Array(chunk), format: MP3, ...(timed && { words: timed }) };
      }
      // Boundaries after the last audio frame (the service may send them up to turn.end).
      const late = words.take();
      if (late && !signal.aborted) yield { data: new Uint8Array(0), format: MP3, words: late };
      complete = !signal.aborted;
    } catch (error) {
      if (error instanceof UnreadableFrameError) {
        throw new PipelineError(
          'tts-dropped',
          `The Edge TTS service sent a message Kiyo cannot read (${error.reason}), so the clause was stopped.`,
          true,
          { cause: error },
        );
      }
      if (error instanceof ReadTimeoutError) {
        throw new PipelineError(
          'tts-timeout',
          error.beforeFirstChunk
            ? `The Edge TTS service sent no audio for ${timeoutMs / 1000} s.`
            : `The Edge TTS service stopped sending audio in the middle of a clause for ${timeoutMs / 1000} s.`,
          true,
          { cause: error },
        );
      }
      throw new PipelineError(
        'tts-dropped',
        `The Edge TTS connection dropped in the middle of a clause: ${(error as Error).message}`,
        true,
        {
          cause: error,
        },
      );
    } finally {
      stopListening();
      // An aborted or failed clause leaves its socket mid-answer: it cannot be reused.
      if (complete) this.release(connection);
      else connection.destroy();
    }
  }
}
