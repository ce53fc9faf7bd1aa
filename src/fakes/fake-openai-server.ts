import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeHttpServer, listenOnLoopback, openAiBaseUrl } from './loopback-http';
import { CHAT_REPLIES, lastUserText, replyLanguageOf, type RepliesByLanguage } from './canned-replies';
import { tokenize } from './tokenize';

/**
 * A local OpenAI-compatible server (`POST /v1/chat/completions` with SSE streaming,
 * `GET /v1/models`) with scripted replies, realistic pacing and fault modes.
 */

export type LlmFault =
  | 'none'
  | 'http-401'
  | 'http-429'
  | 'http-500'
  | 'stall'
  | 'stall-mid-stream'
  | 'malformed-chunk'
  | 'early-close'
  | 'no-finish'
  /** Ends properly with `data: [DONE]` but sends no finish_reason (llama.cpp-style servers do). */
  | 'done-without-finish';

export interface FakeOpenAiOptions {
  /** ms from request to the first token. */
  ttftMs?: number;
  tokensPerSecond?: number;
  /**
   * Scripted replies, used in turn; or lists per language, used in turn in the language of the
   * last user message (the default: CHAT_REPLIES); or a function of the request's messages.
   */
  replies?: string[] | RepliesByLanguage | ((messages: { role: string; content: string }[]) => string);
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else HTTP 401). */
  apiKey?: string;
  /**
   * Headers sent with every 429 and 500, e.g. `{ 'retry-after': '3600' }`, `{ 'retry-after-ms': '20' }`
   * or an HTTP date. Hostile servers ask for any wait; the default is a short one.
   */
  retryAfter?: Record<string, string>;
  /**
   * Like servers that quote the credentials back: error bodies (401s, 429s, 500s, also from
   * `/v1/models`) carry the Authorization header the request came with.
   */
  echoAuthorization?: boolean;
}

export interface ReceivedChat {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  stream?: boolean;
  authorization?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeOpenAiServer {
  readonly requests: ReceivedChat[] = [];
  /** The Authorization header of every request to any route, in order (undefined: none sent). */
  readonly authorizations: (string | undefined)[] = [];
  /** The retry headers of each 429/500 actually sent: proof a Retry-After fault fired. */
  readonly retryAfterSent: Record<string, string>[] = [];
  /** Faults for the next requests, in order; then `defaultFault`. */
  readonly faults: LlmFault[] = [];
  defaultFault: LlmFault = 'none';
  /** Streaming responses the client abandoned before the server finished them. */
  abandoned = 0;
  options: FakeOpenAiOptions & { ttftMs: number; tokensPerSecond: number };
  private replyIndex = 0;

  private constructor(
    private readonly server: Server,
    options: FakeOpenAiOptions,
  ) {
    this.options = { ttftMs: 300, tokensPerSecond: 30, ...options };
    server.on('request', (req, res) => void this.handle(req, res).catch(() => res.destroy()));
  }

  static async start(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
    const server = createServer();
    server.keepAliveTimeout = 60_000;
    await listenOnLoopback(server);
    return new FakeOpenAiServer(server, options);
  }

  /** Base URL for the SDK (`…/v1`). */
  get url(): string {
    return openAiBaseUrl(this.server);
  }

  close(): Promise<void> {
    return closeHttpServer(this.server);
  }

  /** Scripts the next replies, starting again from the first. */
  setReplies(replies: NonNullable<FakeOpenAiOptions['replies']>): void {
    this.options.replies = replies;
    this.replyIndex = 0;
  }

  replyAt(index: number, language: keyof RepliesByLanguage = 'en'): string {
    const { replies = CHAT_REPLIES } = this.options;
    if (typeof replies === 'function') return '';
    const list = Array.isArray(replies) ? replies : replies[language];
    return list[index % list.length]!;
  }

  nextReply(messages: ReceivedChat['messages']): string {
    const { replies = CHAT_REPLIES } = this.options;
    if (typeof replies === 'function') return replies(messages);
    const list = Array.isArray(replies) ? replies : replies[replyLanguageOf(lastUserText(messages))];
    return list[this.replyIndex++ % list.length]!;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    this.authorizations.push(req.headers.authorization);
    const echo = this.options.echoAuthorization
      ? ` (you sent: ${req.headers.authorization ?? 'nothing'})`
      : '';
    if (req.method === 'GET' && path === '/v1/models') {
      if (this.options.apiKey && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
        json(res, 401, { error: { message: `Incorrect API key provided.${echo}`, code: 'invalid_api_key' } });
        return;
      }
      json(res, 200, { object: 'list', data: [{ id: 'kiyo-fake', object: 'model', owned_by: 'kiyo' }] });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = { ...(JSON.parse(body) as ReceivedChat), authorization: req.headers.authorization };
    this.requests.push(request);
    const fault = this.faults.shift() ?? this.defaultFault;

    if (
      fault === 'http-401' ||
      (this.options.apiKey && req.headers.authorization !== `Bearer ${this.options.apiKey}`)
    ) {
      json(res, 401, {
        error: {
          message: `Incorrect API key provided.${echo}`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      });
      return;
    }
    if (fault === 'http-429' || fault === 'http-500') {
      const retryAfter = this.options.retryAfter ?? { 'retry-after-ms': '20' };
      for (const [name, value] of Object.entries(retryAfter)) res.setHeader(name, value);
      this.retryAfterSent.push({ ...retryAfter });
      json(
        res,
        fault === 'http-429' ? 429 : 500,
        fault === 'http-429'
          ? {
              error: {
                message: `Rate limit reached for requests.${echo}`,
                type: 'requests',
                code: 'rate_limit_exceeded',
              },
            }
          : {
              error: {
                message: `The server had an error while processing your request.${echo}`,
                type: 'server_error',
              },
            },
      );
      return;
    }

    const reply = this.nextReply(request.messages);
    const id = `chatcmpl-${Date.now()}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

    if (!request.stream) {
      await sleep(this.options.ttftMs + (tokenize(reply).length * 1000) / this.options.tokensPerSecond);
      json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
      });
      return;
    }

    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    res.on('close', () => {
      if (!res.writableFinished && fault === 'none') this.abandoned++;
    });
    if (fault === 'stall') return; // headers, then nothing: the client must give up
    const start = performance.now();
    const interval = 1000 / this.options.tokensPerSecond;
    const tokens = tokenize(reply);
    res.write(chunk({ role: 'assistant', content: '' }));
    for (let i = 0; i < tokens.length; i++) {
      if (res.destroyed) return;
      const wait = this.options.ttftMs + i * interval - (performance.now() - start);
      if (wait > 1) await sleep(wait);
      if (i === Math.floor(tokens.length / 2)) {
        if (fault === 'stall-mid-stream') return;
        if (fault === 'early-close') {
          res.socket?.destroy();
          return;
        }
        if (fault === 'malformed-chunk') {
          res.end('data: {"id": "broken", "choices": [{"delta": {"content": "oops\n\n');
          return;
        }
      }
      res.write(chunk({ content: tokens[i] }));
    }
    if (fault === 'no-finish') {
      res.end();
      return;
    }
    if (fault === 'done-without-finish') {
      res.end('data: [DONE]\n\n');
      return;
    }
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
