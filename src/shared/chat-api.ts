import { z } from 'zod';
import type { ChatPanelState } from './chat';

/**
 * The chat panel's channels (Preferences → Chat; renderer → main invoke unless noted). Separate
 * from the settings: the queue, the controls and the Twitch sign-in, which is write-only — the
 * panel learns whether one is stored, never the token.
 */
export const CHAT_IPC = {
  getState: 'kiyo:chat:get-state',
  control: 'kiyo:chat:control',
  setSignIn: 'kiyo:chat:set-sign-in',
  clearSignIn: 'kiyo:chat:clear-sign-in',
  /** main → renderer: the panel's state changed (throttled). */
  changed: 'kiyo:chat:changed',
} as const;

export const chatControlSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('answer-now'), key: z.string().max(40) }),
  z.object({ action: z.literal('skip'), key: z.string().max(40) }),
  z.object({ action: z.literal('pause'), paused: z.boolean() }),
]);
export type ChatControl = z.infer<typeof chatControlSchema>;

export const chatSignInSchema = z.object({ token: z.string().max(200), clientId: z.string().max(200) });

/** What the panel shows besides the queue: the local endpoint for bots, and the sign-in. */
export interface ChatPanelInfo extends ChatPanelState {
  signedIn: boolean;
  /** `curl` line for the local endpoint (it carries the local token, as the OBS URL does). */
  localEndpointExample?: string;
}

export type ChatResult = { ok: true } | { ok: false; error: string };

/** `window.kiyoChat` on the preferences page. */
export interface ChatBridge {
  getState(): Promise<ChatPanelInfo>;
  control(control: ChatControl): Promise<ChatResult>;
  setSignIn(signIn: { token: string; clientId: string }): Promise<ChatResult & { persisted?: boolean }>;
  clearSignIn(): Promise<ChatResult>;
  onChanged(listener: () => void): () => void;
}
