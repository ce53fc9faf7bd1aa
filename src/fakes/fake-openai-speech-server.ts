import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeHttpServer, listenOnLoopback, openAiBaseUrl } from './loopback-http';
import { encodeMp3, MP3_FRAME_MS, speakPcm, splitMp3Frames } from './fake-speech';

/**
 * A local OpenAI-compatible speech server: `POST /v1/audio/speech`, answering with real espeak-ng
 * speech streamed in chunks (raw 16-bit PCM or MP3, as asked), paced by a latency profile, with
 * the fault modes a client must survive. It checks the request body as strictly as OpenAI does.
 */

export type SpeechFault =
  | 'none'
  | 'http-401'
  | 'http-429'
  | 'http-500'
  /** Half of the audio, then the connection is cut. */
  | 'drop-mid-stream'
  /** Nothing at all (not even headers) until the client gives up. */
  | 'slow-first-byte';

export interface FakeSpeechOptions {
  /** ms from request to the first audio bytes. */
  ttfbMs?: number;
  /** Time to stream the audio as a share of its duration (0.2 = five times faster than real time). */
  realtimeFactor?: number;
  /** The rate of the PCM it sends (OpenAI: 24000; some local servers differ). */
  pcmSampleRate?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else HTTP 401). */
  apiKey?: string;
}

export interface ReceivedSpeech {
  model: string;
  input: string;
  voice: string;
  response_format: string;
  speed?: number;
  instructions?: string;
  authorization?: string;
}

/** OpenAI's formats; this fake speaks the two Kiyo asks for and refuses the rest plainly. */
const FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];
const MAX_INPUT = 4096;
/** An odd size on purpose: networks split samples between chunks, clients must cope. */
const PCM_CHUNK_BYTES = 4801;
const MP3_FRAMES_PER_CHUNK = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeOpenAiSpeechServer {
  readonly requests: ReceivedSpeech[] = [];
  /** Faults for the next requests, in order; then `defaultFault`. */
  readonly faults: SpeechFault[] = [];
  defaultFault: SpeechFault = 'none';
  /** Every fault actually applied to a request, in order: proof that it fired. */
  readonly faultsFired: SpeechFault[] = [];
  /** Requests refused as invalid (400), with the reason sent. */
  readonly refused: string[] = [];
  /** Responses the client abandoned before the server finished them. */
  abandoned = 0;
  /** The input of each response the client abandoned while audio was still being sent. */
  readonly abandonedInputs: string[] = [];
  options: Required<Omit<FakeSpeechOptions, 'apiKey'>> & { apiKey?: string };

  private constructor(
    private readonly server: Server,
    options: FakeSpeechOptions,
  ) {
    this.options = { ttfbMs: 150, realtimeFactor: 0.2, pcmSampleRate: 24_000, ...options };
    server.on('request', (req, res) => void this.handle(req, res).catch(() => res.destroy()));
  }

  static async start(options: FakeSpeechOptions = {}): Promise<FakeOpenAiSpeechServer> {
    const server = createServer();
    await listenOnLoopback(server);
    return new FakeOpenAiSpeechServer(server, options);
  }

  /** The base URL, as a user would type it into Preferences. */
  get url(): string {
    return openAiBaseUrl(this.server);
  }

  close(): Promise<void> {
    return closeHttpServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/audio/speech')
      return error(res, 404, `Unknown request URL: ${req.method} ${path}`, 'invalid_request_error');
    const authorization = req.headers.authorization;
    let text = '';
    for await (const chunk of req) text += chunk;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return this.refuse(res, 'We could not parse the JSON body of your request.');
    }
    const problem = invalid(body);
    if (problem) return this.refuse(res, problem);
    const request: ReceivedSpeech = {
      model: body.model as string,
      input: body.input as string,
      voice: typeof body.voice === 'string' ? body.voice : String((body.voice as { id: string }).id),
      response_format: (body.response_format as string | undefined) ?? 'mp3',
      ...(body.speed !== undefined && { speed: body.speed as number }),
      ...(body.instructions !== undefined && { instructions: body.instructions as string }),
      ...(authorization !== undefined && { authorization }),
    };
    this.requests.push(request);

    const fault = this.faults.shift() ?? this.defaultFault;
    if (fault !== 'none') this.faultsFired.push(fault);
    if (this.options.apiKey !== undefined && authorization !== `Bearer ${this.options.apiKey}`)
      return error(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    if (fault === 'http-401')
      return error(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    if (fault === 'http-429')
      return error(res, 429, 'Rate limit reached for requests.', 'requests', 'rate_limit_exceeded');
    if (fault === 'http-500') return error(res, 500, 'The server had an error.', 'server_error');
    if (request.response_format !== 'pcm' && request.response_format !== 'mp3')
      return this.refuse(res, `This fake speaks pcm and mp3 only, not ${request.response_format}.`);

    let gone = false;
    let finished = false;
    let streaming = false;
    res.on('close', () => {
      gone = true;
      if (finished) return;
      this.abandoned++;
      if (streaming) this.abandonedInputs.push(request.input);
    });
    if (fault === 'slow-first-byte') return; // the client's timeout ends it

    const start = performance.now();
    const { chunks, chunkMs } = await this.audio(request);
    await sleep(Math.max(0, this.options.ttfbMs - (performance.now() - start)));
    if (gone) return;
    res.writeHead(200, {
      'content-type': request.response_format === 'pcm' ? 'audio/pcm' : 'audio/mpeg',
      'transfer-encoding': 'chunked',
    });
    streaming = true;
    const last = fault === 'drop-mid-stream' ? Math.max(1, Math.floor(chunks.length / 2)) : chunks.length;
    for (let i = 0; i < last; i++) {
      if (gone) return;
      res.write(chunks[i]);
      if (this.options.realtimeFactor > 0) await sleep(chunkMs * this.options.realtimeFactor);
    }
    if (fault === 'drop-mid-stream') {
      // Let what was written reach the client first: the drop is in the middle, not before audio.
      await new Promise<void>((resolve) => res.write('', () => resolve()));
      await sleep(20);
      finished = true;
      res.destroy();
      return;
    }
    finished = true;
    res.end();
  }

  private async audio(request: ReceivedSpeech): Promise<{ chunks: Uint8Array[]; chunkMs: number }> {
    const rate = request.response_format === 'pcm' ? this.options.pcmSampleRate : 24_000;
    const { pcm } = await speakPcm(request.input, rate, request.speed ?? 1);
    if (request.response_format === 'pcm') {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < pcm.byteLength; i += PCM_CHUNK_BYTES)
        chunks.push(pcm.subarray(i, i + PCM_CHUNK_BYTES));
      return { chunks, chunkMs: (PCM_CHUNK_BYTES / 2 / rate) * 1000 };
    }
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
    const frames = splitMp3Frames(encodeMp3(samples, 48));
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < frames.length; i += MP3_FRAMES_PER_CHUNK)
      chunks.push(Buffer.concat(frames.slice(i, i + MP3_FRAMES_PER_CHUNK)));
    return { chunks, chunkMs: MP3_FRAMES_PER_CHUNK * MP3_FRAME_MS };
  }

  private refuse(res: ServerResponse, message: string): void {
    this.refused.push(message);
    error(res, 400, message, 'invalid_request_error');
  }
}

/** What OpenAI would answer with HTTP 400, in its words; undefined for a valid body. */
function invalid(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'The request body must be a JSON object.';
  const b = body as Record<string, unknown>;
  for (const field of ['model', 'input', 'voice'])
    if (b[field] === undefined) return `Missing required parameter: '${field}'.`;
  if (typeof b.model !== 'string' || b.model === '') return "Invalid value for 'model': expected a string.";
  if (typeof b.input !== 'string') return "Invalid type for 'input': expected a string.";
  if (b.input.length === 0) return "Invalid 'input': empty string.";
  if (b.input.length > MAX_INPUT)
    return `Invalid 'input': string too long. Expected a string with maximum length ${MAX_INPUT}, but got a string with length ${b.input.length} instead.`;
  const voice = b.voice;
  const voiceOk =
    (typeof voice === 'string' && voice !== '') ||
    (typeof voice === 'object' && voice !== null && typeof (voice as { id?: unknown }).id === 'string');
  if (!voiceOk) return "Invalid value for 'voice'.";
  if (b.response_format !== undefined && !FORMATS.includes(b.response_format as string))
    return `Invalid value: '${String(b.response_format)}'. Supported values are: ${FORMATS.map((f) => `'${f}'`).join(', ')}.`;
  if (b.speed !== undefined && (typeof b.speed !== 'number' || b.speed < 0.25 || b.speed > 4))
    return "Invalid 'speed': expected a number between 0.25 and 4.";
  if (b.instructions !== undefined && typeof b.instructions !== 'string')
    return "Invalid type for 'instructions': expected a string.";
  return undefined;
}

function error(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}
