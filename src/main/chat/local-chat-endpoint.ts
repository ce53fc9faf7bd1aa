import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { IncomingChatMessage } from '../../shared/chat';
import type { Logger } from '../pipeline/logger';
import { TokenBucket } from '../browser-mode/token-bucket';

/** The local chat endpoint's path on the browser/OBS server (127.0.0.1 only). */
export const LOCAL_CHAT_PATH = '/chat';
/** Largest request body, in bytes. */
export const LOCAL_CHAT_MAX_BYTES = 4096;
/** Messages accepted at once, then one per LOCAL_CHAT_REFILL_MS (for all callers together). */
const BURST = 20;
const REFILL_MS = 250;

export const localChatMessageSchema = z.object({
  user: z.string().trim().min(1).max(50),
  text: z.string().trim().min(1).max(2000),
  /** 0 normal … 3 highest, added to the queue rank. */
  priority: z.number().int().min(0).max(3).default(0),
});

export interface LocalChatEndpointOptions {
  /** The bearer token bots must send (Authorization: Bearer <token>). */
  token: string;
  accept(message: IncomingChatMessage): void;
  logger: Logger;
  now?: () => number;
}

/**
 * `POST /chat` on the 127.0.0.1 browser/OBS server: bots and bridges (Streamer.bot, a YouTube or
 * Bilibili relay) push `{user, text, priority}` into the same queue and moderation as Twitch.
 * Bearer-token auth, JSON only, 4 KB at most, rate limited, and refused to web pages (any Origin
 * header): a site open in the streamer's browser must not be able to speak through Kiyo.
 * Returns false for requests that are not for it.
 */
export function localChatEndpoint(options: LocalChatEndpointOptions) {
  const bucket = new TokenBucket(BURST, REFILL_MS, options.now);
  const expected = Buffer.from(`Bearer ${options.token}`);
  const reply = (res: ServerResponse, status: number, body: object) =>
    res
      .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify(body));

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if ((req.url ?? '').split('?')[0] !== LOCAL_CHAT_PATH) return false;
    if (req.method !== 'POST') {
      reply(res, 405, { error: 'use POST' });
      return true;
    }
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      reply(res, 401, { error: 'missing or wrong token' });
      return true;
    }
    if (req.headers.origin !== undefined) {
      reply(res, 403, { error: 'not from a web page' });
      return true;
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      reply(res, 415, { error: 'send JSON (Content-Type: application/json)' });
      return true;
    }
    if (Number(req.headers['content-length'] ?? 0) > LOCAL_CHAT_MAX_BYTES) {
      reply(res, 413, { error: `at most ${LOCAL_CHAT_MAX_BYTES} bytes` });
      req.resume();
      return true;
    }
    if (!bucket.take()) {
      reply(res, 429, { error: 'too many messages; slow down' });
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LOCAL_CHAT_MAX_BYTES) {
        reply(res, 413, { error: `at most ${LOCAL_CHAT_MAX_BYTES} bytes` });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > LOCAL_CHAT_MAX_BYTES) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        parsed = undefined;
      }
      const message = localChatMessageSchema.safeParse(parsed);
      if (!message.success) {
        options.logger.warn('local chat endpoint: a request was not {user, text, priority}; refused');
        reply(res, 400, { error: 'expected JSON {"user": string, "text": string, "priority": 0-3}' });
        return;
      }
      const { user, text, priority } = message.data;
      options.accept({
        platform: 'local',
        viewer: user,
        viewerId: `local:${user.toLowerCase()}`,
        text,
        moderator: false,
        subscriber: false,
        bits: 0,
        priority,
        receivedAt: Date.now(),
      });
      // Received, not yet answered: moderation and the queue decide, as for Twitch.
      reply(res, 202, { received: true });
    });
    req.on('error', () => res.destroy());
    return true;
  };
}
