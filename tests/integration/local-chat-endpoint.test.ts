import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import { localChatEndpoint, LOCAL_CHAT_MAX_BYTES } from '../../src/main/chat/local-chat-endpoint';
import type { IncomingChatMessage } from '../../src/shared/chat';
import { testLogger } from '../helpers/pipeline-fixture';

/** The local chat endpoint on the 127.0.0.1 browser/OBS server, as a bot would call it. */

const TOKEN = 'chat-token-abcdef123456';
const received: IncomingChatMessage[] = [];
let server: OverlayServer;
let clock = 0;

beforeAll(async () => {
  server = await OverlayServer.start({
    root: mkdtempSync(join(tmpdir(), 'kiyo-chat-root-')),
    logger: testLogger(),
    onMessage: () => {},
    // A fake clock for the rate limit: the test decides when it refills.
    extraRoutes: localChatEndpoint({
      token: TOKEN,
      accept: (m) => received.push(m),
      logger: testLogger(),
      now: () => clock,
    }),
  });
});
afterAll(async () => {
  await server.close();
});

const url = () => `http://127.0.0.1:${server.port}/chat`;
function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(url(), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('local chat endpoint', () => {
  it('takes {user, text, priority} with the token into the chat queue', async () => {
    const res = await post({ user: 'YouTubeFan', text: 'Kiyo, hello from YouTube!', priority: 2 });
    expect(res.status).toBe(202);
    expect(received.at(-1)).toMatchObject({
      platform: 'local',
      viewer: 'YouTubeFan',
      viewerId: 'local:youtubefan',
      text: 'Kiyo, hello from YouTube!',
      priority: 2,
    });
  });

  it('refuses without the right token, from a web page, without JSON, or malformed', async () => {
    const before = received.length;
    expect(
      (await post({ user: 'a', text: 'b' }, { Authorization: 'Bearer wrong-token-abcdef123' })).status,
    ).toBe(401);
    expect((await fetch(url(), { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await post({ user: 'a', text: 'b' }, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ user: 'a', text: 'b' }, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ user: '', text: 'b' })).status).toBe(400);
    expect((await post({ user: 'a', text: 'b', priority: 99 })).status).toBe(400);
    expect((await fetch(url(), { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
    expect(received.length).toBe(before);
    // The overlay's own files are still served as before (nothing else was taken over).
    expect((await fetch(`http://127.0.0.1:${server.port}/chatty`)).status).toBe(404);
  });

  it('refuses a body over the size limit', async () => {
    const res = await post({ user: 'a', text: 'x'.repeat(LOCAL_CHAT_MAX_BYTES) });
    expect(res.status).toBe(413);
  });

  it('rate limits a flood, and accepts again once the bucket refills', async () => {
    clock += 60_000; // a full bucket
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await post({ user: `u${i}`, text: `Kiyo ${i}` })).status);
    // The fault happened: some were refused.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    clock += 60_000;
    expect((await post({ user: 'late', text: 'Kiyo still there?' })).status).toBe(202);
  });
});
