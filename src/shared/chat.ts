/**
 * Live chat as main and the Preferences chat panel see it. Viewers' words are untrusted: they
 * are shown and answered, never obeyed (see src/main/chat/viewer-framing.ts).
 */

export type ChatPlatform = 'twitch' | 'local';

/** One message as it arrived from a chat source, before moderation. */
export interface IncomingChatMessage {
  platform: ChatPlatform;
  /** The source's own message id when it has one (Twitch `id` tag). */
  id?: string;
  /** Display name as the viewer chose it. */
  viewer: string;
  /** Stable id of the viewer on its platform (Twitch `user-id`, else the name lower-cased). */
  viewerId: string;
  text: string;
  moderator: boolean;
  subscriber: boolean;
  bits: number;
  /** A local source's own priority (0 = normal; higher goes first). */
  priority: number;
  /** Epoch ms the message was received (the local clock, not the platform's). */
  receivedAt: number;
}

/** Why a message was not answered; every one is counted and shown in the chat panel. */
export const DROP_REASONS = {
  blocklist: 'contains a blocked word',
  'too-long': 'longer than the maximum length',
  link: 'contains a link',
  repeat: 'repeats a recent message',
  spam: 'the viewer is sending too fast',
  'not-addressed': 'does not mention Kiyo or use the command',
  empty: 'nothing left to answer',
  cooldown: 'the viewer was answered recently',
  'queue-full': 'the queue was full',
  stale: 'waited too long',
  skipped: 'skipped by the streamer',
  paused: 'chat answers are paused',
} as const;
export type DropReason = keyof typeof DROP_REASONS;

/** A message waiting to be answered, as the panel lists it. */
export interface QueuedChatMessage {
  /** Kiyo's own id for the queue entry (answer-now and skip name it). */
  key: string;
  platform: ChatPlatform;
  viewer: string;
  /** The text the model will see (after moderation: links replaced, command removed). */
  text: string;
  receivedAt: number;
  /** Higher goes first. */
  rank: number;
}

export interface ChatDrop {
  at: number;
  viewer: string;
  /** Shortened for the panel. */
  text: string;
  reason: DropReason;
}

export type ChatConnectionState = 'off' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** Everything the chat panel shows; a plain object, safe for IPC (never holds the token). */
export interface ChatPanelState {
  enabled: boolean;
  paused: boolean;
  twitch: { state: ChatConnectionState; channel: string; message?: string };
  queue: QueuedChatMessage[];
  /** The message being answered now, if any. */
  answering?: QueuedChatMessage;
  /** Messages answered since start. */
  answered: number;
  /** Counts since start, by reason. */
  dropCounts: Partial<Record<DropReason, number>>;
  /** The most recent drops, newest first (a few). */
  recentDrops: ChatDrop[];
}
