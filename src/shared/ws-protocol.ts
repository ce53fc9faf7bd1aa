import { z } from 'zod';
import {
  overlayStateSchema,
  playbackFinishedSchema,
  playbackStartedSchema,
  playbackStoppedSchema,
  sayRequestSchema,
} from './ipc';
import type { OverlayState } from './ipc';
import type { PipelineEvent } from './pipeline-events';
import type { EarState } from './voice-input';

/**
 * Browser/OBS mode wire format over one WebSocket. Server → page: pipeline events as JSON text
 * frames, except `audio`, which is binary: [uint32 BE header length][JSON header][audio bytes],
 * so audio is never base64-inflated. Page → server: small JSON commands.
 */

export type ServerMessage =
  | { type: 'pipeline'; event: PipelineEvent }
  | { type: 'overlay-state'; state: OverlayState }
  /**
   * The desktop ear's state word, only while `listen.showStateOnStream` is on (stream-ear-state.ts);
   * never its level, microphones or problem text. 'off' also clears the badge when the option goes off.
   */
  | { type: 'ear-state'; state: EarState }
  /** A client request the server turned down (too many `say`s), in words for people. */
  | { type: 'refused'; message: string };

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('say'), ...sayRequestSchema.shape }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('playback-started'), ...playbackStartedSchema.shape }),
  z.object({ type: z.literal('playback-stopped'), ...playbackStoppedSchema.shape }),
  z.object({ type: z.literal('playback-finished'), ...playbackFinishedSchema.shape }),
  // No pointer-over-avatar: a browser tab or OBS source has no click-through window to steer.
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export { overlayStateSchema };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeServerMessage(message: ServerMessage): string | Uint8Array {
  if (message.type !== 'pipeline' || message.event.type !== 'audio') return JSON.stringify(message);
  const { data, ...header } = message.event;
  const head = encoder.encode(JSON.stringify(header));
  const frame = new Uint8Array(4 + head.byteLength + data.byteLength);
  new DataView(frame.buffer).setUint32(0, head.byteLength);
  frame.set(head, 4);
  frame.set(data, 4 + head.byteLength);
  return frame;
}

export function decodeServerMessage(frame: string | ArrayBuffer): ServerMessage {
  if (typeof frame === 'string') return JSON.parse(frame) as ServerMessage;
  const bytes = new Uint8Array(frame);
  const length = new DataView(frame).getUint32(0);
  const header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length))) as Omit<
    Extract<PipelineEvent, { type: 'audio' }>,
    'data'
  >;
  return { type: 'pipeline', event: { ...header, data: bytes.slice(4 + length) } };
}
