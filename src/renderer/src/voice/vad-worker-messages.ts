/**
 * What the overlay page and its voice-detector worker (vad-worker.ts) say to each other. The
 * worker hears the microphone's frames straight from the audio worklet (its MessagePort is
 * handed over), so a page busy drawing the avatar delays neither their capture stamps nor
 * their scoring; the page gets each frame back scored, as 16-bit PCM, and decides what to do.
 */

/** Page → worker. */
export type ToVadWorker =
  /** Load onnxruntime and Silero from these absolute URLs; times come back on the page's clock. */
  | { type: 'load'; wasmUrl: string; modelUrl: string; pageTimeOrigin: number }
  /** Frames of microphone `id` arrive on `port` (the worklet's); each holds `periodMs` of audio. */
  | { type: 'listen'; id: number; port: MessagePort; periodMs: number }
  /** Stop hearing microphone `id` (closed or replaced). */
  | { type: 'stop'; id: number };

/** One frame, scored. Times are the page's performance.now(). */
export interface ScoredFrame {
  /** 16-bit PCM at 16 kHz, ready for the utterance's WAV. */
  pcm: Int16Array<ArrayBuffer>;
  probability: number;
  /** Loudness (RMS, 0–1). */
  level: number;
  /** When its last sample was captured (capture-clock.ts). */
  at: number;
  /** When it reached the worker. */
  arrivedAt: number;
  /** When the detector had scored it. */
  scoredAt: number;
  /** The detector's own time on it, ms. */
  inferenceMs: number;
  /** Audio the capture path has lost since the microphone opened, as the capture clock sees it, ms. */
  lostMs: number;
}

/** Worker → page. */
export type FromVadWorker =
  | { type: 'loaded' }
  | { type: 'load-failed'; message: string }
  | ({ type: 'frame'; id: number } & ScoredFrame)
  | { type: 'detector-failed'; id: number; message: string };
