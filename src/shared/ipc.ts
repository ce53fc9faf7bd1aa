import { z } from 'zod';
import type { PipelineEvent } from './pipeline-events';

/**
 * The one contract between main, preload and renderer: channel names and payload types. Main
 * validates every payload it receives with the schemas here; the renderer never sees Node.
 */
export const IPC = {
  /** renderer → main (invoke): start a turn with what the user typed; cancels a turn in progress. */
  say: 'kiyo:say',
  /** renderer → main (send): stop the current turn (barge-in, Escape). */
  cancel: 'kiyo:cancel',
  /** renderer → main (send): the player started the first sample of a turn. */
  playbackStarted: 'kiyo:playback-started',
  /** main → renderer: every pipeline event, unchanged. */
  event: 'kiyo:event',
} as const;

export const sayRequestSchema = z.object({ text: z.string().trim().min(1).max(4000) });
export type SayRequest = z.infer<typeof sayRequestSchema>;

export const playbackStartedSchema = z.object({
  turnId: z.string().min(1).max(64),
  /** ms from the first audio chunk's arrival in the renderer to the first sample at the output. */
  afterChunkMs: z.number().min(0).max(60_000),
});
export type PlaybackStarted = z.infer<typeof playbackStartedSchema>;

export type SayResult = { ok: true; turnId: string } | { ok: false; error: string };

/** What the preload exposes as `window.kiyo` (and what the browser/OBS transport implements). */
export interface KiyoBridge {
  say(text: string): Promise<SayResult>;
  cancel(): void;
  reportPlaybackStarted(report: PlaybackStarted): void;
  /** Subscribes to pipeline events; returns the unsubscribe function. */
  onEvent(listener: (event: PipelineEvent) => void): () => void;
}
