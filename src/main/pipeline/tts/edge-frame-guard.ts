import type { MsEdgeTTS } from 'msedge-tts';

/** A frame from the Edge service that msedge-tts cannot handle; fails the clauses on that socket. */
export class UnreadableFrameError extends Error {
  constructor(readonly reason: string) {
    super(`the service sent ${reason}`);
    this.name = 'UnreadableFrameError';
  }
}

interface MessageEventLike {
  data: unknown;
}
type MessageHandler = (this: unknown, event: MessageEventLike) => void;

interface GuardedSocket {
  onmessage: MessageHandler | null;
  terminate?: () => void;
  close: () => void;
}

/** The parts of msedge-tts 2.x we reach into; its socket and streams are private. */
interface ClientInternals {
  _ws?: GuardedSocket;
  _streams: Record<string, { audio: { destroy(error?: Error): void } } | undefined>;
}

/** Headers sit at the front of every frame; the rest may be a large audio payload. */
const HEADER_BYTES = 4096;

function frameBytes(data: unknown): Buffer | undefined {
  if (typeof data === 'string') return Buffer.from(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

/** Why msedge-tts would choke on this frame, or undefined when it is one it handles. */
function unreadable(data: unknown, streams: ClientInternals['_streams']): string | undefined {
  const bytes = frameBytes(data);
  if (!bytes) return 'a frame of an unknown kind';
  const head = bytes.subarray(0, HEADER_BYTES).toString('latin1');
  const id = /X-RequestId:(.*?)\r\n/.exec(head)?.[1];
  if (id === undefined) return 'a frame without a request id';
  if (!Object.hasOwn(streams, id) || !streams[id]) return 'a frame for a request Kiyo never made';
  return undefined;
}

/**
 * msedge-tts parses every frame inside its socket's message handler and throws a TypeError on
 * anything unexpected (no X-RequestId, an unknown one, binary junk). That handler runs inside
 * ws's event dispatch, where nothing can catch it, so one bad frame would crash the process.
 * This wraps the handler of every socket the client opens: a frame it cannot handle is not
 * passed on; instead `onUnreadable` hears of it and the clauses waiting on that socket fail.
 */
export function guardFrames(client: MsEdgeTTS, onUnreadable: (error: UnreadableFrameError) => void): void {
  const internals = client as unknown as ClientInternals;
  let current = internals._ws;
  const fail = (socket: GuardedSocket, error: UnreadableFrameError) => {
    for (const id of Object.keys(internals._streams)) internals._streams[id]?.audio.destroy(error);
    try {
      if (socket.terminate) socket.terminate();
      else socket.close();
    } catch {
      // Gone either way.
    }
    onUnreadable(error);
  };
  const guard = (socket: GuardedSocket, handler: MessageHandler): MessageHandler =>
    function guarded(this: unknown, event: MessageEventLike) {
      const reason = unreadable(event?.data, internals._streams);
      if (reason !== undefined) return fail(socket, new UnreadableFrameError(reason));
      try {
        handler.call(this, event);
      } catch {
        fail(socket, new UnreadableFrameError('a frame it could not parse'));
      }
    };
  // msedge-tts assigns `_ws` and then its `onmessage`; intercept both on this instance only.
  Object.defineProperty(internals, '_ws', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (socket: GuardedSocket | undefined) => {
      current = socket;
      if (socket) interceptOnMessage(socket, (handler) => guard(socket, handler));
    },
  });
}

function interceptOnMessage(socket: GuardedSocket, wrap: (handler: MessageHandler) => MessageHandler): void {
  let proto: object | null = Object.getPrototypeOf(socket);
  let accessor: PropertyDescriptor | undefined;
  while (proto && !accessor) {
    accessor = Object.getOwnPropertyDescriptor(proto, 'onmessage');
    proto = Object.getPrototypeOf(proto);
  }
  const { get, set } = accessor ?? {};
  if (!get || !set) throw new Error('msedge-tts: the WebSocket has no onmessage accessor to guard');
  Object.defineProperty(socket, 'onmessage', {
    configurable: true,
    get: () => get.call(socket),
    set: (handler: unknown) =>
      set.call(socket, typeof handler === 'function' ? wrap(handler as MessageHandler) : handler),
  });
}
