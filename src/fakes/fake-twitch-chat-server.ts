import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';

/**
 * A local stand-in for Twitch chat (IRC over WebSocket, irc-ws.chat.twitch.tv), speaking what
 * Twitch sends and as strict about the handshake, so a client regression shows here first:
 * - `CAP LS 302` is answered with Twitch's three capabilities; `CAP REQ` for anything else is
 *   NAKed; `CAP END` ends negotiation;
 * - `PASS oauth:<token>` is optional: without it only an anonymous `justinfan<digits>` nick may
 *   log in; a token must be one the test registered (`validTokens`) and its nick must match.
 *   A failed login gets Twitch's `NOTICE * :Login authentication failed` and the socket is closed;
 * - after `NICK` (and `USER`): 001–004, 375, 372, 376, as Twitch sends them;
 * - any other command before registration closes the connection (Twitch drops such clients);
 * - `JOIN #channel` (lower case) → JOIN echo, 353/366 names, and a full `ROOMSTATE` when the
 *   commands/tags capabilities were acknowledged (twurple waits for it to count a join);
 * - `PING` → `PONG`; the server's own `PING` (ping()) expects the client's `PONG`;
 * - `PRIVMSG` from an anonymous client is ignored (Twitch drops it); a signed-in one's is recorded.
 * Tests drive it: `message()` sends a viewer's PRIVMSG with the tags Twitch sets (badge-info,
 * badges, bits, color, display-name, emotes, first-msg, flags, id, mod, room-id, subscriber,
 * tmi-sent-ts, turbo, user-id, user-type); `dropAll()` cuts every connection (no close frame).
 * People trying the app (`npm run fakes`) and tests in another process do the same over HTTP:
 * `POST /fake/messages {"channel", "login", "text", …}` (FakeViewerMessage's fields).
 * Twitch's token validation is served too, as twurple asks a local mock of Twitch's API for it
 * (TWURPLE_MOCK_API_PORT=<this port>): `GET /auth/validate` with `Authorization: OAuth <token>`
 * answers Twitch's JSON for a registered token (its user as `login`) and Twitch's 401 otherwise.
 */

export const TWITCH_CAPS = ['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership'] as const;
const HOST = 'tmi.twitch.tv';
const CRLF = '\r\n';

export interface FakeViewerMessage {
  /** Login (lower case); the display name defaults to it. */
  login: string;
  displayName?: string;
  text: string;
  userId?: string;
  mod?: boolean;
  subscriber?: boolean;
  broadcaster?: boolean;
  bits?: number;
  id?: string;
  /** Epoch ms; now by default. */
  sentAt?: number;
}

interface Client {
  socket: WebSocket;
  caps: Set<string>;
  capNegotiating: boolean;
  pass?: string;
  nick?: string;
  registered: boolean;
  channels: Set<string>;
}

/** The body of `POST /fake/messages`: a viewer's message to send to a channel. */
export const fakeMessageRequestSchema = z.strictObject({
  channel: z.string().regex(/^#?[a-z0-9_]{1,25}$/i),
  login: z.string().regex(/^[a-z0-9_]{1,25}$/),
  displayName: z.string().min(1).max(25).optional(),
  text: z.string().min(1).max(500),
  mod: z.boolean().optional(),
  subscriber: z.boolean().optional(),
  broadcaster: z.boolean().optional(),
  bits: z.number().int().min(0).max(1_000_000).optional(),
});
const MAX_REQUEST_BYTES = 4096;

export interface FakeTwitchEvent {
  kind: 'connect' | 'register' | 'join' | 'privmsg' | 'refused' | 'pong' | 'close' | 'validate';
  nick?: string;
  channel?: string;
  text?: string;
  /** The PASS the client sent (tests check a token is withheld from a server that is not Twitch). */
  pass?: string;
  reason?: string;
}

export class FakeTwitchChatServer {
  /** Tokens (without `oauth:`) that log in, each as its user. */
  readonly validTokens = new Map<string, string>();
  /** Scopes `GET /auth/validate` reports for every valid token. */
  tokenScopes = ['chat:read', 'chat:edit'];
  /** What happened, in order (bounded: the oldest are forgotten past 10,000). */
  readonly events: FakeTwitchEvent[] = [];
  private readonly clients = new Set<Client>();
  private counter = 0;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
  ) {
    wss.on('connection', (socket) => this.accept(socket));
  }

  static async start(port = 0): Promise<FakeTwitchChatServer> {
    const served: { server?: FakeTwitchChatServer } = {};
    const http = createServer((req, res) => served.server?.handleHttp(req, res));
    const wss = new WebSocketServer({ server: http });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', resolve);
    });
    served.server = new FakeTwitchChatServer(http, wss);
    return served.server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The address to give the client instead of wss://irc-ws.chat.twitch.tv:443. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Connections that completed the handshake. */
  get registeredClients(): number {
    return [...this.clients].filter((c) => c.registered).length;
  }

  joined(channel: string): number {
    const name = `#${channel.toLowerCase()}`;
    return [...this.clients].filter((c) => c.channels.has(name)).length;
  }

  /** Sends a viewer's chat message to every client in `channel`; returns the line sent. */
  message(channel: string, viewer: FakeViewerMessage): string {
    const name = `#${channel.toLowerCase()}`;
    const badges = [
      viewer.broadcaster && 'broadcaster/1',
      viewer.mod && 'moderator/1',
      viewer.subscriber && 'subscriber/12',
      viewer.bits && 'bits/100',
    ].filter(Boolean);
    const tags: [string, string][] = [
      ['badge-info', viewer.subscriber ? 'subscriber/12' : ''],
      ['badges', badges.join(',')],
      ...(viewer.bits ? ([['bits', String(viewer.bits)]] as [string, string][]) : []),
      ['color', '#1E90FF'],
      ['display-name', viewer.displayName ?? viewer.login],
      ['emotes', ''],
      ['first-msg', '0'],
      ['flags', ''],
      ['id', viewer.id ?? `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`],
      ['mod', viewer.mod ? '1' : '0'],
      ['returning-chatter', '0'],
      ['room-id', '12345'],
      ['subscriber', viewer.subscriber ? '1' : '0'],
      ['tmi-sent-ts', String(viewer.sentAt ?? Date.now())],
      ['turbo', '0'],
      ['user-id', viewer.userId ?? String(1000 + hash(viewer.login))],
      ['user-type', viewer.mod ? 'mod' : ''],
    ];
    const line = `@${tags.map(([k, v]) => `${k}=${escapeTag(v)}`).join(';')} :${viewer.login}!${viewer.login}@${viewer.login}.${HOST} PRIVMSG ${name} :${viewer.text}`;
    for (const client of this.clients) if (client.channels.has(name)) this.send(client, line);
    return line;
  }

  /** Cuts every connection without a close handshake, as a network drop does. */
  dropAll(): void {
    for (const client of this.clients) client.socket.terminate();
  }

  /** Sends Twitch's keep-alive PING to every registered client. */
  ping(): void {
    for (const client of this.clients) if (client.registered) this.send(client, `PING :${HOST}`);
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.socket.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** `POST /fake/messages`: a viewer's message, as message(); 202 with how many clients got it. */
  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const reply = (status: number, body: object) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url === '/auth/validate') return this.validate(req, reply);
    if (req.method !== 'POST' || req.url !== '/fake/messages') return void res.writeHead(426).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_REQUEST_BYTES) {
        reply(413, { error: `at most ${MAX_REQUEST_BYTES} bytes` });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { error: 'the body is not JSON' });
      }
      const request = fakeMessageRequestSchema.safeParse(body);
      if (!request.success) return reply(400, { error: z.prettifyError(request.error) });
      const { channel, ...viewer } = request.data;
      const name = channel.replace(/^#/, '');
      this.message(name, viewer);
      reply(202, { sent: this.joined(name) });
    });
  }

  /** As https://id.twitch.tv/oauth2/validate: who a user token belongs to, and its scopes. */
  private validate(req: IncomingMessage, reply: (status: number, body: object) => void): void {
    const token = /^(?:OAuth|Bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return reply(401, { status: 401, message: 'missing authorization token' });
    const login = this.validTokens.get(token);
    if (login === undefined) return reply(401, { status: 401, message: 'invalid access token' });
    this.record({ kind: 'validate', nick: login });
    reply(200, {
      client_id: 'fakeclientid0123456789',
      login,
      scopes: this.tokenScopes,
      user_id: String(1000 + hash(login)),
      expires_in: 5_000_000,
    });
  }

  private record(event: FakeTwitchEvent): void {
    this.events.push(event);
    if (this.events.length > 10_000) this.events.splice(0, this.events.length - 10_000);
  }

  private accept(socket: WebSocket): void {
    const client: Client = {
      socket,
      caps: new Set(),
      capNegotiating: false,
      registered: false,
      channels: new Set(),
    };
    this.clients.add(client);
    this.record({ kind: 'connect' });
    socket.on('close', () => {
      this.clients.delete(client);
      this.record({ kind: 'close', ...(client.nick && { nick: client.nick }) });
    });
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.refuse(client, 'binary frame');
      for (const line of data.toString().split(/\r?\n/)) if (line) this.receive(client, line);
    });
  }

  private send(client: Client, ...lines: string[]): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(lines.join(CRLF) + CRLF);
  }

  private refuse(client: Client, reason: string, notice = 'Login authentication failed'): void {
    this.record({ kind: 'refused', reason, ...(client.pass !== undefined && { pass: client.pass }) });
    this.send(client, `:${HOST} NOTICE * :${notice}`);
    client.socket.close();
  }

  private receive(client: Client, line: string): void {
    const { command, params, trailing } = parse(line);
    switch (command) {
      case 'CAP':
        return this.cap(client, params, trailing);
      case 'PASS':
        if (client.registered) return;
        client.pass = params[0] ?? trailing;
        return;
      case 'NICK':
        if (client.registered) return;
        client.nick = (params[0] ?? trailing ?? '').toLowerCase();
        return this.register(client);
      case 'USER':
        return;
      case 'PING':
        return this.send(client, `:${HOST} PONG ${HOST} :${trailing ?? params[0] ?? ''}`);
      case 'PONG':
        this.record({ kind: 'pong', ...(client.nick && { nick: client.nick }) });
        return;
    }
    if (!client.registered)
      return this.refuse(client, `${command} before login`, 'Improperly formatted auth');
    switch (command) {
      case 'JOIN':
        for (const channel of (params[0] ?? '').split(',')) this.join(client, channel);
        return;
      case 'PART': {
        const channel = params[0] ?? '';
        client.channels.delete(channel);
        return this.send(client, `:${client.nick}!${client.nick}@${client.nick}.${HOST} PART ${channel}`);
      }
      case 'PRIVMSG':
        // Twitch silently ignores anonymous (justinfan) messages.
        if (client.pass === undefined) return;
        this.record({ kind: 'privmsg', nick: client.nick!, channel: params[0]!, text: trailing ?? '' });
        return;
      default:
        return this.send(client, `:${HOST} 421 ${client.nick} ${command} :Unknown command`);
    }
  }

  private cap(client: Client, params: string[], trailing: string | undefined): void {
    const sub = params[0] === '*' ? params[1] : params[0];
    if (sub === 'LS') {
      client.capNegotiating = true;
      return this.send(client, `:${HOST} CAP * LS :${TWITCH_CAPS.join(' ')}`);
    }
    if (sub === 'REQ') {
      const wanted = (trailing ?? params.at(-1) ?? '').split(' ').filter(Boolean);
      if (wanted.some((cap) => !(TWITCH_CAPS as readonly string[]).includes(cap)))
        return this.send(client, `:${HOST} CAP * NAK :${wanted.join(' ')}`);
      for (const cap of wanted) client.caps.add(cap);
      return this.send(client, `:${HOST} CAP * ACK :${wanted.join(' ')}`);
    }
    if (sub === 'END') {
      client.capNegotiating = false;
      return this.register(client);
    }
  }

  /** Logs in once NICK has come and capability negotiation (if started) has ended. */
  private register(client: Client): void {
    if (client.registered || !client.nick || client.capNegotiating) return;
    const nick = client.nick;
    if (client.pass === undefined) {
      if (!/^justinfan\d+$/.test(nick)) return this.refuse(client, `nick ${nick} without a token`);
    } else {
      const token = /^oauth:(.+)$/.exec(client.pass)?.[1];
      const user = token === undefined ? undefined : this.validTokens.get(token);
      if (user === undefined) return this.refuse(client, 'unknown token');
      if (user !== nick) return this.refuse(client, `token is for ${user}, nick is ${nick}`);
    }
    client.registered = true;
    this.record({ kind: 'register', nick, ...(client.pass !== undefined && { pass: client.pass }) });
    this.send(
      client,
      `:${HOST} 001 ${nick} :Welcome, GLHF!`,
      `:${HOST} 002 ${nick} :Your host is ${HOST}`,
      `:${HOST} 003 ${nick} :This server is rather new`,
      `:${HOST} 004 ${nick} :-`,
      `:${HOST} 375 ${nick} :-`,
      `:${HOST} 372 ${nick} :You are in a maze of twisty passages, all alike.`,
      `:${HOST} 376 ${nick} :>`,
    );
  }

  private join(client: Client, channel: string): void {
    const nick = client.nick!;
    if (!/^#[a-z0-9_]{1,25}$/.test(channel)) {
      return this.send(client, `@msg-id=invalid_channel :${HOST} NOTICE ${channel} :Invalid channel name`);
    }
    client.channels.add(channel);
    this.record({ kind: 'join', nick, channel });
    const lines = [`:${nick}!${nick}@${nick}.${HOST} JOIN ${channel}`];
    if (client.caps.has('twitch.tv/membership'))
      lines.push(
        `:${nick}.${HOST} 353 ${nick} = ${channel} :${nick}`,
        `:${nick}.${HOST} 366 ${nick} ${channel} :End of /NAMES list`,
      );
    if (client.caps.has('twitch.tv/commands') && client.caps.has('twitch.tv/tags'))
      lines.push(
        `@emote-only=0;followers-only=-1;r9k=0;room-id=12345;slow=0;subs-only=0 :${HOST} ROOMSTATE ${channel}`,
      );
    this.send(client, ...lines);
  }
}

/** IRCv3 tag value escaping, as Twitch applies it. */
function escapeTag(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\:')
    .replace(/ /g, '\\s')
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n');
}

function parse(line: string): { command: string; params: string[]; trailing?: string } {
  let rest = line;
  if (rest.startsWith('@')) rest = rest.slice(rest.indexOf(' ') + 1);
  if (rest.startsWith(':')) rest = rest.slice(rest.indexOf(' ') + 1);
  const colon = rest.indexOf(' :');
  const head = colon >= 0 ? rest.slice(0, colon) : rest;
  const trailing = colon >= 0 ? rest.slice(colon + 2) : undefined;
  const [command = '', ...params] = head.split(' ').filter(Boolean);
  return { command: command.toUpperCase(), params, ...(trailing !== undefined && { trailing }) };
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  return h;
}
