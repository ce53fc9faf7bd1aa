import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeHttpServer, listenOnLoopback, openAiBaseUrl } from './loopback-http';
import { parseWav, pcmBytes, resample, wavFile } from '../main/pipeline/tts/pcm';
import { speakPcm } from './fake-speech';
import { matchUtterance, rmsEnvelope, type KnownUtterance } from './utterance-matcher';

/**
 * A local OpenAI-compatible speech-to-text server: `POST /v1/audio/transcriptions`, as strict as
 * OpenAI's (multipart/form-data, a `file` part with a file name and a known audio container,
 * `model` required, 25 MB at most, Bearer key when one is set). It "transcribes" by recognising
 * utterances registered with it (text + the speech it was synthesised to, see utterance-matcher.ts),
 * so a test that speaks a known sentence into a fake microphone gets that sentence back; silence
 * and unknown sound give ''. A latency profile and the fault modes a client must survive.
 *
 * Tests in another process (the browser benchmark runs the fakes as a child) register utterances
 * with `POST /fake/utterances {"text": "…"}` (synthesised here with espeak-ng).
 */

export type TranscriptionFault =
  | 'none'
  | 'http-401'
  /** With `Retry-After: 1`. */
  | 'http-429'
  | 'http-500'
  /** No answer at all (not even headers) until the client gives up. */
  | 'timeout'
  /** HTTP 200 headers, then nothing: a hung server the SDK's own timeout does not cover. */
  | 'stall-after-headers'
  /** HTTP 200 "JSON" that is not JSON (a proxy's error page, a broken server). */
  | 'malformed'
  /** HTTP 200 with an empty transcript, as servers answer for a breath or a click. */
  | 'empty';

export interface FakeTranscriptionOptions {
  /** ms from the complete request to the answer. */
  latencyMs?: number;
  /** Extra ms per second of audio (model time grows with the recording). */
  perAudioSecondMs?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else HTTP 401). */
  apiKey?: string;
  /**
   * Said for speech that matches no registered utterance (for trying the app with a real
   * microphone); undefined gives '' as for noise.
   */
  unknownSpeechText?: string;
  /** Quote the Authorization header received back in a 401 (some servers do): for secret-leak tests. */
  echoAuthorization?: boolean;
}

export interface ReceivedTranscription {
  model: string;
  filename: string;
  /** The file part's bytes. */
  bytes: number;
  responseFormat: string;
  language?: string;
  authorization?: string;
  /** What the fake answered ('' for silence or noise); undefined when it answered with an error. */
  transcript?: string;
}

/** OpenAI's limit on the uploaded file. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/** Room for the multipart framing and the other fields around the file. */
const MAX_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024;
const EXTENSIONS = ['flac', 'mp3', 'mp4', 'mpeg', 'mpga', 'm4a', 'ogg', 'wav', 'webm'];
const RESPONSE_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'];
const SAMPLE_RATE = 16_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeOpenAiTranscriptionServer {
  readonly requests: ReceivedTranscription[] = [];
  /** Faults for the next requests, in order; then `defaultFault`. */
  readonly faults: TranscriptionFault[] = [];
  defaultFault: TranscriptionFault = 'none';
  /** Every fault actually applied to a request, in order: proof that it fired. */
  readonly faultsFired: TranscriptionFault[] = [];
  /** Requests refused as invalid (4xx other than 401/429), with the reason sent. */
  readonly refused: string[] = [];
  /** Requests the client abandoned before the answer (its timeout, or a cancelled turn). */
  abandoned = 0;
  options: Required<Pick<FakeTranscriptionOptions, 'latencyMs' | 'perAudioSecondMs'>> &
    Omit<FakeTranscriptionOptions, 'latencyMs' | 'perAudioSecondMs'>;
  private readonly known: KnownUtterance[] = [];

  private constructor(
    private readonly server: Server,
    options: FakeTranscriptionOptions,
  ) {
    this.options = { latencyMs: 200, perAudioSecondMs: 20, ...options };
    server.on('request', (req, res) => void this.handle(req, res).catch(() => res.destroy()));
  }

  static async start(options: FakeTranscriptionOptions = {}): Promise<FakeOpenAiTranscriptionServer> {
    const server = createServer();
    await listenOnLoopback(server);
    return new FakeOpenAiTranscriptionServer(server, options);
  }

  /** The base URL, as a user would type it into Preferences. */
  get url(): string {
    return openAiBaseUrl(this.server);
  }

  close(): Promise<void> {
    return closeHttpServer(this.server);
  }

  /**
   * Teaches the fake an utterance: `text` and the 16-bit mono speech it was made into (synthesised
   * here with espeak-ng at 16 kHz when not given). Returns that speech, to play or send.
   */
  async register(text: string, speech?: { samples: Int16Array; sampleRate: number }): Promise<Int16Array> {
    const pcm = speech ?? (await utteranceSpeech(text));
    const samples = resample(pcm, SAMPLE_RATE);
    this.known.push({ text, envelope: rmsEnvelope(samples, SAMPLE_RATE) });
    return samples;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/fake/utterances') return this.registerFromRequest(req, res);
    if (req.method !== 'POST' || path !== '/v1/audio/transcriptions')
      return error(res, 404, `Unknown request URL: ${req.method} ${path}`, 'invalid_request_error');
    const authorization = req.headers.authorization;
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data;.*boundary=/i.test(contentType)) {
      req.resume();
      return this.refuse(
        res,
        400,
        "Invalid Content-Type header (expected multipart/form-data with a boundary). Upload the audio as the 'file' field of a multipart form.",
      );
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined)
      return this.refuse(res, 413, `Maximum content size limit (${MAX_FILE_BYTES}) exceeded.`, true);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': contentType },
      }).formData();
    } catch {
      return this.refuse(res, 400, 'Could not parse multipart form');
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) return this.refuse(res, 400, "Missing required parameter: 'file'.");
    const filename = (file as File).name ?? '';
    const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
    if (!extension || !EXTENSIONS.includes(extension))
      return this.refuse(res, 400, `Invalid file format. Supported formats: ${JSON.stringify(EXTENSIONS)}`);
    if (file.size > MAX_FILE_BYTES)
      return this.refuse(res, 413, `Maximum content size limit (${MAX_FILE_BYTES}) exceeded.`);
    const model = form.get('model');
    if (typeof model !== 'string' || model.trim() === '')
      return this.refuse(res, 400, "Missing required parameter: 'model'.");
    const responseFormat = form.get('response_format') ?? 'json';
    if (typeof responseFormat !== 'string' || !RESPONSE_FORMATS.includes(responseFormat))
      return this.refuse(
        res,
        400,
        `Invalid value for 'response_format': expected one of ${RESPONSE_FORMATS.join(', ')}.`,
      );
    if (responseFormat === 'srt' || responseFormat === 'vtt')
      return this.refuse(res, 400, `This fake answers json, text and verbose_json, not ${responseFormat}.`);
    const language = form.get('language');
    if (language !== null && (typeof language !== 'string' || !/^[a-z]{2,3}$/.test(language)))
      return this.refuse(
        res,
        400,
        'Invalid language. Language parameter must be specified in ISO-639-1 format.',
      );

    const bytes = new Uint8Array(await file.arrayBuffer());
    const audio = decodeAudio(bytes);
    if (typeof audio === 'string') return this.refuse(res, 400, audio);

    const request: ReceivedTranscription = {
      model,
      filename,
      bytes: bytes.byteLength,
      responseFormat,
      ...(typeof language === 'string' && { language }),
      ...(authorization !== undefined && { authorization }),
    };
    this.requests.push(request);

    const fault = this.faults.shift() ?? this.defaultFault;
    if (fault !== 'none') this.faultsFired.push(fault);
    if (this.options.apiKey !== undefined && authorization !== `Bearer ${this.options.apiKey}`) {
      // As OpenAI words it: the key itself, without "Bearer" (which key-shaped redaction would catch).
      const quoted = this.options.echoAuthorization
        ? `: ${authorization?.replace(/^Bearer\s+/, '') ?? '(none)'}`
        : '.';
      return error(
        res,
        401,
        `Incorrect API key provided${quoted}`,
        'invalid_request_error',
        'invalid_api_key',
      );
    }
    if (fault === 'http-401')
      return error(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    if (fault === 'http-429')
      return error(res, 429, 'Rate limit reached for requests.', 'requests', 'rate_limit_exceeded', {
        'retry-after': '1',
      });
    if (fault === 'http-500') return error(res, 500, 'The server had an error.', 'server_error');

    let answered = false;
    res.on('close', () => {
      if (!answered) this.abandoned++;
    });
    if (fault === 'timeout') return; // the client's timeout ends it
    if (fault === 'malformed') {
      answered = true;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    if (fault === 'stall-after-headers') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"text": "');
      return;
    }

    const durationMs = (audio.samples.length / audio.sampleRate) * 1000;
    const transcript = fault === 'empty' ? '' : this.recognise(audio.samples, audio.sampleRate);
    await sleep(this.options.latencyMs + (durationMs / 1000) * this.options.perAudioSecondMs);
    if (res.destroyed) return;
    request.transcript = transcript;
    answered = true;
    if (responseFormat === 'text') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(transcript);
      return;
    }
    const json =
      responseFormat === 'verbose_json'
        ? {
            task: 'transcribe',
            language: typeof language === 'string' ? language : 'english',
            duration: durationMs / 1000,
            text: transcript,
            segments: [],
          }
        : { text: transcript, usage: { type: 'duration', seconds: Math.ceil(durationMs / 1000) } };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  }

  private recognise(samples: Int16Array, sampleRate: number): string {
    const { match, silent } = matchUtterance(
      resample({ samples, sampleRate }, SAMPLE_RATE),
      SAMPLE_RATE,
      this.known,
    );
    if (match) return match.text;
    return silent ? '' : (this.options.unknownSpeechText ?? '');
  }

  private async registerFromRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, 64 * 1024);
    let text: unknown;
    try {
      text = (JSON.parse(Buffer.from(body ?? []).toString('utf8')) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string' || text.trim() === '')
      return error(res, 400, 'Expected {"text": "…"}.', 'invalid_request_error');
    await this.register(text);
    res.writeHead(204).end();
  }

  private refuse(res: ServerResponse, status: number, message: string, close = false): void {
    this.refused.push(message);
    error(res, status, message, 'invalid_request_error');
    if (close) res.on('finish', () => res.socket?.destroy());
  }
}

/** The espeak-ng speech of `text` at 16 kHz (what the page's ear records), for register(). */
export async function utteranceSpeech(text: string): Promise<{ samples: Int16Array; sampleRate: number }> {
  const { pcm } = await speakPcm(text, SAMPLE_RATE);
  return {
    samples: new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength)),
    sampleRate: SAMPLE_RATE,
  };
}

/** The request body, or undefined when it is longer than `limit` (the rest is not read). */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The samples of a WAV file, or what OpenAI would say about the file. Other containers OpenAI
 * takes are recognised by their magic bytes but this fake only decodes WAV (which Kiyo sends).
 */
function decodeAudio(bytes: Uint8Array): { samples: Int16Array; sampleRate: number } | string {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.byteLength >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const format = bytes.byteLength >= 36 && ascii(12, 16) === 'fmt ' ? view.getUint16(20, true) : -1;
    const bits = format === -1 ? -1 : view.getUint16(34, true);
    const channels = format === -1 ? -1 : view.getUint16(22, true);
    if (format !== 1 || bits !== 16 || channels !== 1)
      return 'Audio file might be corrupted or unsupported (this fake decodes 16-bit mono PCM WAV).';
    try {
      const pcm = parseWav(bytes);
      if (pcm.samples.length === 0) return 'Audio file is too short. Minimum audio length is 0.1 seconds.';
      if (pcm.samples.length < pcm.sampleRate / 10)
        return 'Audio file is too short. Minimum audio length is 0.1 seconds.';
      return pcm;
    } catch {
      return 'Audio file might be corrupted or unsupported.';
    }
  }
  const known =
    ascii(0, 4) === 'OggS' ||
    ascii(0, 4) === 'fLaC' ||
    ascii(0, 3) === 'ID3' ||
    (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) ||
    (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) ||
    ascii(4, 8) === 'ftyp';
  return known
    ? 'This fake decodes WAV only (the real service also takes this container).'
    : 'Audio file might be corrupted or unsupported.';
}

function error(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

/**
 * A 16 kHz mono WAV of `samples` with silence around it, shaped like what the page's ear sends
 * (pre-roll before the speech, the end-of-speech hangover after it).
 */
export function utteranceWav(
  samples: Int16Array,
  { leadMs = 400, tailMs = 500 } = {},
): Uint8Array<ArrayBuffer> {
  const lead = Math.round((SAMPLE_RATE * leadMs) / 1000);
  const padded = new Int16Array(lead + samples.length + Math.round((SAMPLE_RATE * tailMs) / 1000));
  padded.set(samples, lead);
  return new Uint8Array(wavFile(pcmBytes(padded), SAMPLE_RATE));
}
