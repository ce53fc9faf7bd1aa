import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { FakeTwitchChatServer } from '../../src/fakes/fake-twitch-chat-server';
import type { ChatConnectionState, IncomingChatMessage } from '../../src/shared/chat';
import { TwitchChatSource, signInAllowed } from '../../src/main/chat/twitch-chat-source';
import { testLogger } from '../helpers/pipeline-fixture';

/** Twitch chat read through twurple against the local fake Twitch (IRC over WebSocket). */

let server: FakeTwitchChatServer;
let source: TwitchChatSource | undefined;
const received: IncomingChatMessage[] = [];
const states: ChatConnectionState[] = [];
const logLines: string[] = [];

beforeEach(async () => {
  server = await FakeTwitchChatServer.start();
  received.length = 0;
  states.length = 0;
  logLines.length = 0;
});
afterEach(async () => {
  source?.close();
  source = undefined;
  await server.close();
});

function connect(channel = 'KiyoStream', signIn?: { token: string; clientId: string }) {
  source = new TwitchChatSource({
    channel,
    server: server.url,
    ...(signIn && { signIn }),
    logger: testLogger(logLines),
    onMessage: (m) => received.push(m),
    onState: (s) => states.push(s),
  });
  source.start();
  return source;
}

const WAIT = { timeout: 15_000, interval: 20 };

describe('Twitch chat source', () => {
  it('connects anonymously (justinfan, the three capabilities), joins the channel and reads messages with their tags', async () => {
    connect();
    await vi.waitFor(() => expect(server.joined('kiyostream')).toBe(1), WAIT);
    await vi.waitFor(() => expect(states.at(-1)).toBe('connected'), WAIT);
    const login = server.events.find((e) => e.kind === 'register')!;
    expect(login.nick).toMatch(/^justinfan\d+$/);
    expect(login.pass).toBeUndefined();

    server.message('kiyostream', { login: 'amy', displayName: 'Amy_Chan', text: 'hi @Kiyo', userId: '42' });
    server.message('kiyostream', { login: 'mo', text: 'mod here; hi', mod: true });
    server.message('kiyostream', {
      login: 'sue',
      text: 'cheer100 take my bits',
      subscriber: true,
      bits: 100,
    });
    await vi.waitFor(() => expect(received).toHaveLength(3), WAIT);
    expect(received[0]).toMatchObject({
      platform: 'twitch',
      viewer: 'Amy_Chan',
      viewerId: '42',
      text: 'hi @Kiyo',
      moderator: false,
      subscriber: false,
      bits: 0,
    });
    expect(received[1]).toMatchObject({ viewer: 'mo', text: 'mod here; hi', moderator: true });
    expect(received[2]).toMatchObject({ viewer: 'sue', subscriber: true, bits: 100 });
    expect(received[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers the server’s PING (else Twitch drops the connection)', async () => {
    connect();
    await vi.waitFor(() => expect(server.joined('kiyostream')).toBe(1), WAIT);
    server.ping();
    await vi.waitFor(() => expect(server.events.some((e) => e.kind === 'pong')).toBe(true), WAIT);
  });

  it('reconnects after a drop and joins the channel again, then reads on', async () => {
    connect();
    await vi.waitFor(() => expect(server.joined('kiyostream')).toBe(1), WAIT);
    server.dropAll();
    // The fault happened: the connection is gone and the source says it is reconnecting.
    await vi.waitFor(() => expect(server.events.some((e) => e.kind === 'close')).toBe(true), WAIT);
    await vi.waitFor(() => expect(states).toContain('reconnecting'), WAIT);
    await vi.waitFor(() => expect(server.events.filter((e) => e.kind === 'join')).toHaveLength(2), {
      ...WAIT,
      timeout: 20_000,
    });
    await vi.waitFor(() => expect(states.at(-1)).toBe('connected'), WAIT);
    expect(server.joined('kiyostream')).toBe(1);
    server.message('kiyostream', { login: 'amy', text: 'back again, Kiyo?' });
    await vi.waitFor(() => expect(received.map((m) => m.text)).toEqual(['back again, Kiyo?']), WAIT);
  }, 30_000);

  it("never sends a sign-in token to a server that is not Twitch's own: it reads anonymously", async () => {
    expect(signInAllowed('wss://irc-ws.chat.twitch.tv:443')).toBe(true);
    expect(signInAllowed('wss://irc-ws.chat.twitch.tv')).toBe(true);
    expect(signInAllowed(server.url)).toBe(false);
    const token = 'abcdefghijklmnopqrstuvwxyz0123';
    server.validTokens.set(token, 'kiyobot');
    connect('kiyostream', { token, clientId: 'clientid123' });
    await vi.waitFor(() => expect(server.joined('kiyostream')).toBe(1), WAIT);
    expect(server.events.find((e) => e.kind === 'register')?.pass).toBeUndefined();
    expect(JSON.stringify(server.events)).not.toContain(token);
    expect(logLines.join('\n')).not.toContain(token);
    expect(logLines.some((l) => /not sent to 127\.0\.0\.1/.test(l))).toBe(true);
  });
});

describe('fake Twitch strictness', () => {
  it('turns away a nick that is not anonymous without a token, and a token it does not know', async () => {
    const { WebSocket } = await import('ws');
    const attempt = (lines: string[]) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(server.url);
        let text = '';
        ws.on('open', () => ws.send(lines.join('\r\n')));
        ws.on('message', (d) => (text += d.toString()));
        ws.on('close', () => resolve(text));
      });
    expect(await attempt(['NICK someone'])).toContain('NOTICE * :Login authentication failed');
    expect(await attempt(['PASS oauth:wrong', 'NICK someone'])).toContain('Login authentication failed');
    expect(await attempt(['JOIN #kiyostream'])).toContain('NOTICE');
    expect(server.events.filter((e) => e.kind === 'refused')).toHaveLength(3);
    expect(server.registeredClients).toBe(0);
  });
});

describe('chat service and settings', () => {
  it('follows the settings: another channel reconnects there, chat off disconnects', async () => {
    const { ChatService } = await import('../../src/main/chat/chat-service');
    const { parsePipelineSettings } = await import('../../src/shared/settings');
    const settings = (chat: object) =>
      parsePipelineSettings({ chat: { enabled: true, twitchServer: server.url, ...chat } });
    const service = new ChatService({
      settings: settings({ twitchChannel: 'first' }),
      runner: { say: () => Promise.resolve('turn') },
      logger: testLogger(),
      localToken: 'local-token-123456',
    });
    try {
      await vi.waitFor(() => expect(server.joined('first')).toBe(1), WAIT);
      service.updateSettings(settings({ twitchChannel: 'second' }));
      await vi.waitFor(() => expect(server.joined('second')).toBe(1), WAIT);
      await vi.waitFor(() => expect(server.joined('first')).toBe(0), WAIT);
      await vi.waitFor(
        () => expect(service.state().twitch).toMatchObject({ state: 'connected', channel: 'second' }),
        WAIT,
      );
      // Unrelated settings do not reconnect.
      const joins = server.events.filter((e) => e.kind === 'join').length;
      service.updateSettings(settings({ twitchChannel: 'second', maxQueueMessages: 3 }));
      service.updateSettings(settings({ enabled: false, twitchChannel: 'second' }));
      await vi.waitFor(() => expect(server.registeredClients).toBe(0), WAIT);
      expect(server.events.filter((e) => e.kind === 'join').length).toBe(joins);
      expect(service.state().twitch.state).toBe('off');
    } finally {
      service.close();
    }
  });
});
