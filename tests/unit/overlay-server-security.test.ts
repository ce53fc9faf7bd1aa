import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { dispatchClientMessage } from '../../src/main/browser-mode/dispatch-client-message';
import { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import type { Conversation } from '../../src/main/pipeline/conversation';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
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
const rawSockets: Socket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiyo-overlay-server-'));
  mkdirSync(join(dir, 'root'));
  mkdirSync(join(dir, 'model'));
  writeFileSync(join(dir, 'root', 'index.html'), '<!doctype html><title>overlay</title>');
  writeFileSync(join(dir, 'model', 'shizuku.model.json'), '{}');
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'secret.txt'), 'top secret');
  // Links inside the served folders that lead out of them.
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'model', 'leak.txt'));
  symlinkSync(join(dir, 'outside'), join(dir, 'model', 'linked-dir'));
  symlinkSync('../secret.txt', join(dir, 'root', 'leak.txt'));
  // A link that stays inside is fine.
  writeFileSync(join(dir, 'model', 'texture.png'), 'png');
  symlinkSync('texture.png', join(dir, 'model', 'alias.png'));
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
  for (const socket of rawSockets.splice(0)) socket.destroy();
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
function upgrade(path: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, origin ? { origin } : {});
    sockets.push(ws);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', reject);
  });
}

/** An open, authorised socket and every frame it has received so far. */
async function client(
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; frames: (string | ArrayBuffer)[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/${TOKEN}/ws`, { headers });
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
      format: { codec: 'mp3' },
      data,
    } as const;
    server.publish(event);
    await vi.waitFor(() => expect(frames.length).toBe(2));
    expect(frames[1]).toBeInstanceOf(ArrayBuffer);
    expect(decodeServerMessage(frames[1]!)).toEqual({ type: 'pipeline', event });
  });
});

describe('OverlayServer against hostile pages', () => {
  it('follows no symbolic link out of the model folder or the page folder', async () => {
    // The links are real and lead to a readable secret.
    expect(lstatSync(join(dir, 'model', 'leak.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'model', 'leak.txt'), 'utf8')).toBe('top secret');
    expect(readFileSync(join(dir, 'model', 'linked-dir', 'secret.txt'), 'utf8')).toBe('top secret');
    expect(readFileSync(join(dir, 'root', 'leak.txt'), 'utf8')).toBe('top secret');
    for (const path of [
      `/${TOKEN}/custom-model/leak.txt`,
      `/${TOKEN}/custom-model/linked-dir/secret.txt`,
      `/${TOKEN}/leak.txt`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('top secret');
    }
    // A link that stays inside the folder still works.
    expect((await get(`/${TOKEN}/custom-model/alias.png`)).body).toBe('png');
  });

  it("accepts WebSocket connections only from the page's own origin and from origin-less clients (OBS)", async () => {
    const port = server.port;
    // Origin-less (OBS, curl) and the page's own origins connect.
    expect(await upgrade(`/${TOKEN}/ws`)).toBe(101);
    expect(await upgrade(`/${TOKEN}/ws`, `http://127.0.0.1:${port}`)).toBe(101);
    expect(await upgrade(`/${TOKEN}/ws`, `http://localhost:${port}`)).toBe(101);
    // Any other site is refused, the token notwithstanding.
    for (const origin of [
      'https://evil.com',
      'http://evil.com',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1.evil.com:${port}`,
      'null',
      'file://',
    ])
      expect(await upgrade(`/${TOKEN}/ws`, origin), origin).toBe(403);
    expect(lines.some((l) => l.startsWith('warn ') && l.includes('https://evil.com'))).toBe(true);
  });

  it('a page from another origin cannot make Kiyo speak', async () => {
    const evil = new WebSocket(`ws://127.0.0.1:${server.port}/${TOKEN}/ws`, { origin: 'https://evil.com' });
    sockets.push(evil);
    const outcome = await new Promise<string>((resolve) => {
      evil.on('open', () => {
        evil.send(JSON.stringify({ type: 'say', text: 'I was told to say this' }));
        resolve('open');
      });
      evil.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
      evil.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('refused 403');
    expect(onMessage).not.toHaveBeenCalled();
  });

  it('rate-limits say per client and answers the excess with a plain error frame', async () => {
    const { ws, frames } = await client();
    const attempts = 40;
    for (let i = 0; i < attempts; i++) ws.send(JSON.stringify({ type: 'say', text: `message ${i}` }));
    // Every attempt was answered: either passed on, or refused with a frame.
    const refusals = () => frames.filter((f) => typeof f === 'string' && f.includes('"refused"')).length;
    await vi.waitFor(() => expect(onMessage.mock.calls.length + refusals()).toBe(attempts));
    expect(onMessage.mock.calls.length).toBeGreaterThan(0);
    expect(onMessage.mock.calls.length).toBeLessThan(10);
    const refusal = decodeServerMessage(
      frames.find((f) => typeof f === 'string' && f.includes('"refused"'))!,
    );
    expect(refusal).toEqual({ type: 'refused', message: expect.stringMatching(/^Too many messages/) });
    // Another client has its own allowance.
    const other = await client();
    other.ws.send(JSON.stringify({ type: 'say', text: 'hello from OBS' }));
    await vi.waitFor(() =>
      expect(onMessage).toHaveBeenLastCalledWith({ type: 'say', text: 'hello from OBS' }),
    );
  });

  /** A client that completes the handshake and then never reads another byte. */
  async function stalledClient(): Promise<{ received: () => number }> {
    const socket = connect({ host: '127.0.0.1', port: server.port });
    rawSockets.push(socket);
    let received = 0;
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const key = randomBytes(16).toString('base64');
    socket.write(
      [
        `GET /${TOKEN}/ws HTTP/1.1`,
        `Host: 127.0.0.1:${server.port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
    await new Promise<void>((resolve) =>
      socket.once('data', (chunk: Buffer) => {
        received += chunk.length;
        expect(chunk.toString('latin1')).toMatch(/^HTTP\/1.1 101/);
        resolve();
      }),
    );
    socket.pause();
    return { received: () => received };
  }

  const clientsOf = () => [...(server as unknown as { clients: Set<WebSocket> }).clients];

  it('bounds what it buffers for a page that stops reading: its audio is dropped, the others get theirs', async () => {
    await vi.waitFor(() => expect(clientsOf()).toHaveLength(0));
    const slow = await stalledClient();
    const fast = await client();
    await vi.waitFor(() => expect(clientsOf()).toHaveLength(2));
    await vi.waitFor(() => expect(fast.frames).toHaveLength(1)); // the overlay state
    const chunk = new Uint8Array(64 * 1024).fill(7);
    const total = 700; // 44.8 MB of audio, as in the report
    let maxBuffered = 0;
    for (let seq = 0; seq < total; seq++) {
      // The reading page keeps up, as a page in its own process does.
      const delivered = new Promise((resolve) => fast.ws.once('message', resolve));
      server.publish({
        type: 'audio',
        turnId: 't1',
        segmentIndex: 0,
        seq,
        format: { codec: 'mp3' },
        data: chunk,
      });
      for (const ws of clientsOf()) maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
      await delivered;
    }
    // The attack happened: far more was published than the slow client read.
    expect(total * chunk.byteLength).toBeGreaterThan(40 * 2 ** 20);
    expect(slow.received()).toBeLessThan(1024);
    // Main never held more than a bounded amount for any page.
    expect(maxBuffered).toBeLessThanOrEqual(2 * 2 ** 20);
    // The page that reads got every frame.
    expect(fast.frames.filter((f) => typeof f !== 'string')).toHaveLength(total);
    expect(lines.some((l) => l.startsWith('warn ') && l.includes('not reading'))).toBe(true);
  });

  it('disconnects a page that stops reading altogether', async () => {
    await vi.waitFor(() => expect(clientsOf()).toHaveLength(0));
    const slow = await stalledClient();
    await vi.waitFor(() => expect(clientsOf()).toHaveLength(1));
    const delta = 'x'.repeat(16 * 1024);
    let published = 0;
    for (let i = 0; i < 2000 && clientsOf().length > 0; i++) {
      server.publish({ type: 'text', turnId: 't1', delta });
      published += delta.length;
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    // The page read nothing while far more than the bound was sent its way, and is gone.
    expect(slow.received()).toBeLessThan(1024);
    expect(published).toBeGreaterThan(2 * 2 ** 20);
    await vi.waitFor(() => expect(clientsOf()).toHaveLength(0));
    expect(lines.some((l) => l.startsWith('warn ') && l.includes('disconnected a browser/OBS page'))).toBe(
      true,
    );
  });

  it('keeps playback-started reports bounded: 100,000 made-up turn ids cost nothing', () => {
    const runner = new TurnRunner(
      { playbackStopped: () => {} } as unknown as Conversation,
      () => {},
      createLogger({ level: 'error', sink: () => {} }),
    );
    const stored = () => (runner as unknown as { playedAfterChunk: Map<string, number> }).playedAfterChunk;
    for (let i = 0; i < 100_000; i++)
      dispatchClientMessage({ type: 'playback-started', turnId: `turn-${i}`, afterChunkMs: 1 }, runner);
    // The reports were taken (the newest is kept), but only a handful.
    expect(stored().get('turn-99999')).toBe(1);
    expect(stored().size).toBeLessThanOrEqual(50);
  });
});
