import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import { createLogger } from '../../src/main/pipeline/logger';
import { DEFAULT_OVERLAY_STATE, type OverlayState } from '../../src/shared/ipc';
import { decodeServerMessage, type ClientMessage } from '../../src/shared/ws-protocol';

const TOKEN = 'tok_en-1234567890abcdefgh';
const WRONG = 'tok_en-1234567890abcdefgX'; // same length, last character differs

let dir: string;
let server: OverlayServer;
let state: OverlayState;
const lines: string[] = [];
const onMessage = vi.fn<(message: ClientMessage) => void>();
const sockets: WebSocket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiyo-overlay-server-'));
  mkdirSync(join(dir, 'root'));
  mkdirSync(join(dir, 'model'));
  writeFileSync(join(dir, 'root', 'index.html'), '<!doctype html><title>overlay</title>');
  writeFileSync(join(dir, 'model', 'shizuku.model.json'), '{}');
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
  state = { ...DEFAULT_OVERLAY_STATE, modelFolder: join(dir, 'model'), modelEntry: 'shizuku.model.json' };
  server = await OverlayServer.start({
    root: join(dir, 'root'),
    token: TOKEN,
    logger: createLogger({ level: 'debug', sink: (level, line) => lines.push(`${level} ${line}`) }),
    onMessage,
    overlayState: () => state,
  });
});

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
  onMessage.mockClear();
  lines.length = 0;
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET: unlike fetch, nothing normalises `..` or percent-escapes in the path. */
function get(
  path: string,
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the HTTP status when the upgrade is refused, or 101 once the socket opens. */
function upgrade(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`);
    sockets.push(ws);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', reject);
  });
}

/** An open, authorised socket and every frame it has received so far. */
async function client(): Promise<{ ws: WebSocket; frames: (string | ArrayBuffer)[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/${TOKEN}/ws`);
  sockets.push(ws);
  const frames: (string | ArrayBuffer)[] = [];
  ws.binaryType = 'arraybuffer';
  ws.on('message', (data, isBinary) =>
    frames.push(isBinary ? (data as ArrayBuffer) : Buffer.from(data as ArrayBuffer).toString('utf8')),
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames };
}

describe('OverlayServer security', () => {
  it('listens on 127.0.0.1 only', async () => {
    const address = (server as unknown as { http: Server }).http.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.family).toBe('IPv4');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/${TOKEN}/index.html`);
    // Any other interface this machine has must refuse the connection.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal)
      .map((i) => i!.address);
    for (const host of ['::1', ...others]) {
      const connected = await new Promise<boolean>((resolve) => {
        const socket = connect({ host, port: server.port });
        socket.setTimeout(2000, () => resolve(false));
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      expect(connected, host).toBe(false);
    }
  });

  it('serves the page with the token, and nothing without it', async () => {
    const ok = await get(`/${TOKEN}/index.html`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>overlay</title>');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(`/${TOKEN}/`)).status).toBe(200);

    for (const path of [
      '/',
      '/index.html',
      `/${TOKEN}`,
      `/${WRONG}/index.html`,
      `/${WRONG}/`,
      `/${TOKEN.toUpperCase()}/index.html`,
      `/${TOKEN.slice(0, -1)}/index.html`,
      `/x${TOKEN}/index.html`,
      `//${TOKEN}/index.html`,
      `/%2F${TOKEN}/index.html`,
    ])
      expect((await get(path)).status, path).toBe(404);
  });

  it('answers nothing but GET', async () => {
    for (const method of ['POST', 'PUT', 'DELETE'])
      expect((await get(`/${TOKEN}/index.html`, method)).status, method).toBe(404);
  });

  it('refuses paths that leave the served folders', async () => {
    for (const path of [
      `/${TOKEN}/../secret.txt`,
      `/${TOKEN}/..%2fsecret.txt`,
      `/${TOKEN}/..%2Fsecret.txt`,
      `/${TOKEN}/%2e%2e/secret.txt`,
      `/${TOKEN}/%2e%2e%2fsecret.txt`,
      `/${TOKEN}/%2E%2E%2Fsecret.txt`,
      `/${TOKEN}/..%5csecret.txt`,
      `/${TOKEN}/%252e%252e%252fsecret.txt`,
      `/${TOKEN}/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      `/${TOKEN}/index.html%00.png`,
      `/${TOKEN}/%E0%A4%A`,
      `/${TOKEN}/custom-model/..%2fsecret.txt`,
      `/${TOKEN}/custom-model/%2e%2e/secret.txt`,
      `/${TOKEN}/custom-model/..%2froot%2findex.html`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('top secret');
    }
    // Inside the model folder is fine.
    expect((await get(`/${TOKEN}/custom-model/shizuku.model.json`)).status).toBe(200);
  });

  it('serves no model folder when none is chosen', async () => {
    const saved = state;
    state = { ...saved, modelFolder: '', modelEntry: '' };
    try {
      expect((await get(`/${TOKEN}/custom-model/shizuku.model.json`)).status).toBe(404);
    } finally {
      state = saved;
    }
  });

  it('refuses WebSocket upgrades without the right token and path', async () => {
    for (const path of [
      '/ws',
      `/${WRONG}/ws`,
      `/${TOKEN.slice(0, -1)}/ws`,
      `/${TOKEN}/wsx`,
      `/${TOKEN}/ws/`,
      `/${TOKEN}/ws/extra`,
      `/${TOKEN}/index.html`,
    ])
      expect(await upgrade(path), path).toBe(403);
  });

  it('with the right token, connects and sends the overlay state first', async () => {
    const { frames } = await client();
    await vi.waitFor(() => expect(frames.length).toBeGreaterThan(0));
    expect(decodeServerMessage(frames[0]!)).toEqual({ type: 'overlay-state', state });
  });

  it('ignores and logs invalid client messages, passes valid ones on', async () => {
    const { ws } = await client();
    for (const junk of [
      'not json',
      JSON.stringify({ type: 'eval', code: 'process.exit()' }),
      JSON.stringify({ type: 'say', text: 'a'.repeat(4001) }),
      JSON.stringify({ type: 'say', text: '' }),
      JSON.stringify(null),
      '{"__proto__":{"type":"say"},"text":"hi"}',
    ])
      ws.send(junk);
    ws.send(Buffer.from(JSON.stringify({ type: 'say', text: 'binary' })), { binary: true });
    ws.send(JSON.stringify({ type: 'say', text: '  Hello Kiyo  ' }));
    // Messages are handled in order: once the valid one arrives, every invalid one was seen.
    await vi.waitFor(() => expect(onMessage).toHaveBeenCalled());
    expect(onMessage.mock.calls).toEqual([[{ type: 'say', text: 'Hello Kiyo' }]]);
    expect(lines.filter((line) => line.includes('invalid message; ignored'))).toHaveLength(7);
    expect(lines.every((line) => line.startsWith('warn '))).toBe(true);
  });

  it('closes a connection that sends an oversize frame', async () => {
    const { ws } = await client();
    const code = new Promise<number>((resolve) => ws.once('close', (c: number) => resolve(c)));
    ws.send(JSON.stringify({ type: 'say', text: 'a'.repeat(70 * 1024) }));
    expect(await code).toBe(1009);
    expect(onMessage).not.toHaveBeenCalled();
  });

  it('streams audio to connected pages as binary frames', async () => {
    const { frames } = await client();
    await vi.waitFor(() => expect(frames.length).toBe(1));
    const data = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const event = {
      type: 'audio',
      turnId: 't1',
      segmentIndex: 0,
      seq: 0,
      format: 'audio-24khz-48kbitrate-mono-mp3',
      data,
    } as const;
    server.publish(event);
    await vi.waitFor(() => expect(frames.length).toBe(2));
    expect(frames[1]).toBeInstanceOf(ArrayBuffer);
    expect(decodeServerMessage(frames[1]!)).toEqual({ type: 'pipeline', event });
  });
});
