import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { InvalidTokenError, StaticAuthProvider } from '@twurple/auth';
import { ChatClient, type ChatMessage } from '@twurple/chat';
import type { ChatConnectionState, IncomingChatMessage } from '../../shared/chat';
import { TWITCH_CHAT_SERVER } from '../../shared/chat-settings';
import type { Logger } from '../pipeline/logger';

/** A sign-in for posting answers; only ever sent to Twitch's own chat server. */
export interface TwitchSignIn {
  token: string;
  clientId: string;
}

export interface TwitchChatSourceOptions {
  channel: string;
  /** wss://irc-ws.chat.twitch.tv:443 normally; a fake's ws://127.0.0.1:<port> in tests. */
  server: string;
  signIn?: TwitchSignIn;
  logger: Logger;
  onMessage(message: IncomingChatMessage): void;
  onState(state: ChatConnectionState, message?: string): void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The sign-in goes to Twitch and nowhere else: not to a server typed in for testing. One
 * exception keeps it on this machine: a chat server on the loopback address while twurple's own
 * switch for a local mock of Twitch's API is set (TWURPLE_MOCK_API_PORT, as for the Twitch CLI's
 * mock server), where twurple then validates the token too (the fakes, and the posting tests).
 */
export function signInAllowed(server: string, mockApiPort = process.env.TWURPLE_MOCK_API_PORT): boolean {
  const url = new URL(server);
  if (url.origin === new URL(TWITCH_CHAT_SERVER).origin) return true;
  return Boolean(mockApiPort) && LOOPBACK.has(url.hostname);
}

/**
 * Twitch chat through twurple's ChatClient: anonymous and read-only (a justinfan login) unless a
 * sign-in is given and the server is Twitch's own. twurple reconnects by itself after a drop and
 * the channel is joined again on the new login. Its host option has no port, so another server's port is reached by
 * handing the WebSocket a connection to it (the ws library's `createConnection`).
 */
export class TwitchChatSource {
  private readonly client: ChatClient;
  private closed = false;
  readonly channel: string;
  readonly signedIn: boolean;

  constructor(private readonly options: TwitchChatSourceOptions) {
    this.channel = options.channel.replace(/^#/, '').toLowerCase();
    const url = new URL(options.server);
    const secure = url.protocol === 'wss:';
    const port = Number(url.port || (secure ? 443 : 80));
    const defaultPort = secure ? 443 : 80;
    const signIn = options.signIn && signInAllowed(options.server) ? options.signIn : undefined;
    if (options.signIn && !signIn)
      options.logger.warn(
        `chat: the Twitch sign-in is not sent to ${url.host}, which is not Twitch's chat server; reading anonymously`,
      );
    this.signedIn = signIn !== undefined;
    this.client = new ChatClient({
      channels: [this.channel],
      hostName: url.hostname,
      ssl: secure,
      webSocket: true,
      // `channels` is joined on every login, so a reconnect joins again (rejoining as well would
      // join twice).
      rejoinChannelsOnReconnect: false,
      ...(signIn && {
        authProvider: new StaticAuthProvider(signIn.clientId, signIn.token, ['chat:read', 'chat:edit']),
      }),
      ...(port !== defaultPort && {
        connectionOptions: {
          wsOptions: {
            createConnection: ((opts: object) =>
              secure
                ? tlsConnect({ ...opts, port, servername: url.hostname })
                : netConnect({ ...opts, port } as never)) as never,
          },
        },
      }),
      // twurple's own log lines go to ours, at most at warning level (they never hold the token:
      // twurple logs its "oauth:" PASS line only at trace level, which is not forwarded).
      logger: {
        minLevel: 'warning',
        custom: (level, message) =>
          level <= 2 ? options.logger.warn(`chat (twurple): ${message}`) : undefined,
      },
    });
    this.client.onConnect(() => options.onState('connecting'));
    this.client.onJoin((channel, user) => {
      if (channel === this.channel && user === this.client.irc.currentNick) {
        options.logger.info(`chat: joined #${this.channel} on ${url.host}`);
        options.onState('connected');
      }
    });
    this.client.onJoinFailure((channel, reason) =>
      options.onState('failed', `Could not join the Twitch channel ${channel} (${reason}).`),
    );
    this.client.onDisconnect((manually, reason) => {
      if (manually || this.closed) return;
      options.logger.warn(`chat: Twitch connection lost (${reason?.message ?? 'no reason'}); reconnecting`);
      options.onState('reconnecting', 'Reconnecting to Twitch chat…');
    });
    this.client.onAuthenticationFailure((text) => {
      options.logger.warn(`chat: Twitch refused the sign-in (${text})`);
      options.onState('failed', 'Twitch refused the sign-in: enter a new token in the chat panel.');
    });
    // twurple asks Twitch's API who the token belongs to before each login: a token Twitch does
    // not accept fails there, never reaching the chat server (twurple keeps retrying).
    this.client.onTokenFetchFailure((error) => {
      if (error instanceof InvalidTokenError) {
        options.logger.warn('chat: Twitch did not accept the sign-in token');
        options.onState('failed', 'Twitch refused the sign-in: enter a new token in the chat panel.');
        // The same token will not be accepted on a retry; a new one reconnects (signInChanged).
        this.close();
      } else {
        options.logger.warn(`chat: the Twitch sign-in could not be checked (${error.name}); retrying`);
        options.onState('reconnecting', 'Could not check the Twitch sign-in; retrying…');
      }
    });
    this.client.onMessage((_channel, user, text, msg) => this.received(user, text, msg));
  }

  start(): void {
    this.options.onState('connecting');
    this.client.connect();
  }

  /** Posts Kiyo's answer in the channel; only when signed in (anonymous messages go nowhere). */
  async post(text: string): Promise<void> {
    if (!this.signedIn) return;
    await this.client.say(this.channel, text.slice(0, 450));
  }

  close(): void {
    this.closed = true;
    this.client.quit();
  }

  private received(user: string, text: string, msg: ChatMessage): void {
    const info = msg.userInfo;
    this.options.onMessage({
      platform: 'twitch',
      id: msg.id,
      viewer: info.displayName || user,
      viewerId: info.userId || user,
      text,
      moderator: info.isMod || info.isBroadcaster,
      subscriber: info.isSubscriber || info.isFounder,
      bits: msg.bits,
      priority: 0,
      receivedAt: Date.now(),
    });
  }
}
