import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { FakeTwitchChatServer } from '../../src/fakes/fake-twitch-chat-server';
import type { ChatTurns } from '../../src/main/chat/chat-coordinator';
import { ChatService } from '../../src/main/chat/chat-service';
import { signInAllowed } from '../../src/main/chat/twitch-chat-source';
import type { TurnSource } from '../../src/shared/pipeline-events';
import { parsePipelineSettings } from '../../src/shared/settings';
import { testLogger } from '../helpers/pipeline-fixture';

/**
 * Signed in, Kiyo posts her answer back in Twitch chat. twurple validates a token with Twitch's
 * API before logging in; its own switch for a local mock of that API (TWURPLE_MOCK_API_PORT, as
 * for the Twitch CLI's mock server) sends the validation to the fake Twitch server instead, which
 * then checks `PASS oauth:<token>` against the user it validated and records the PRIVMSG.
 */

const TOKEN = 'kiyotoken0123456789abcdefghij';
const WAIT = { timeout: 15_000, interval: 20 };

let twitch: FakeTwitchChatServer;
let service: ChatService | undefined;
beforeAll(async () => {
  twitch = await FakeTwitchChatServer.start();
  twitch.validTokens.set(TOKEN, 'kiyobot');
});
afterAll(async () => {
  await twitch.close();
});
afterEach(() => {
  service?.close();
  service = undefined;
  vi.unstubAllEnvs();
});

/** A runner whose every chat answer is the reply given, as the pipeline's events would say it. */
function answeringRunner(reply: string, observe: () => ChatService | undefined): ChatTurns {
  let turns = 0;
  return {
    say(_text: string, source?: TurnSource) {
      const turnId = `turn-${++turns}`;
      setTimeout(() => {
        const chat = observe()!;
        chat.observe({
          type: 'turn-start',
          turnId,
          input: '',
          streaming: true,
          inputAt: 0,
          ...(source && { source }),
        });
        chat.observe({ type: 'segment', turnId, index: 0, displayText: reply, spokenText: reply });
        chat.observe({
          type: 'turn-end',
          turnId,
          reason: 'complete',
          text: reply,
          spokenText: reply,
          latency: { inputAt: 0 },
        });
      }, 0);
      return Promise.resolve(turnId);
    },
  };
}

function startService(channel: string, token: string, logLines: string[]): ChatService {
  const settings = parsePipelineSettings({
    chat: {
      enabled: true,
      twitchChannel: channel,
      twitchServer: twitch.url,
      postAnswers: true,
      streamerQuietSeconds: 0,
    },
  });
  const built: { chat?: ChatService } = {};
  built.chat = new ChatService({
    settings,
    runner: answeringRunner('Rice crackers, crunchy and salty!', () => built.chat),
    logger: testLogger(logLines),
    localToken: 'local-token-123456',
    signIn: () => ({ token, clientId: 'fakeclientid0123456789' }),
  });
  return built.chat;
}

describe('posting answers in Twitch chat, signed in', () => {
  it('only with the mock API switch set is a loopback chat server given the sign-in', () => {
    expect(signInAllowed(twitch.url, undefined)).toBe(false);
    expect(signInAllowed(twitch.url, String(twitch.port))).toBe(true);
    expect(signInAllowed('ws://localhost:1234', '1234')).toBe(true);
    // Never a server elsewhere, switch or not.
    expect(signInAllowed('wss://chat.example.com', String(twitch.port))).toBe(false);
    expect(signInAllowed('ws://10.0.0.2:80', String(twitch.port))).toBe(false);
  });

  it("logs in with the token (validated first) and posts Kiyo's answer to the viewer in the channel", async () => {
    vi.stubEnv('TWURPLE_MOCK_API_PORT', String(twitch.port));
    const logLines: string[] = [];
    service = startService('kiyostream', TOKEN, logLines);
    await vi.waitFor(() => expect(service!.state().twitch.state).toBe('connected'), WAIT);
    // twurple asked the (fake) Twitch API who the token belongs to, then logged in as that user.
    expect(twitch.events.filter((e) => e.kind === 'validate').length).toBeGreaterThan(0);
    expect(twitch.events.find((e) => e.kind === 'register')).toMatchObject({
      nick: 'kiyobot',
      pass: `oauth:${TOKEN}`,
    });

    twitch.message('kiyostream', {
      login: 'amy',
      displayName: 'Amy',
      text: '@Kiyo what is your favourite snack?',
    });
    await vi.waitFor(
      () =>
        expect(twitch.events.filter((e) => e.kind === 'privmsg')).toEqual([
          {
            kind: 'privmsg',
            nick: 'kiyobot',
            channel: '#kiyostream',
            text: '@Amy Rice crackers, crunchy and salty!',
          },
        ]),
      WAIT,
    );
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });

  it('a token Twitch does not know is refused: nothing is posted, and the panel says so', async () => {
    vi.stubEnv('TWURPLE_MOCK_API_PORT', String(twitch.port));
    const before = twitch.events.length;
    const logLines: string[] = [];
    service = startService('otherstream', 'unknowntoken0123456789abcdefg', logLines);
    await vi.waitFor(() => expect(service!.state().twitch.state).toBe('failed'), WAIT);
    const since = twitch.events.slice(before);
    expect(since.some((e) => e.kind === 'register')).toBe(false);
    expect(since.some((e) => e.kind === 'privmsg')).toBe(false);
    expect(logLines.some((l) => l.includes('Twitch did not accept the sign-in token'))).toBe(true);
    expect(logLines.join('\n')).not.toContain('unknowntoken');
  });
});
