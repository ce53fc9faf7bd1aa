import { VAD_FRAME_MS } from '../../../shared/voice-input';

/** Silero v5 takes 512 samples at 16 kHz: one frame is 32 ms. */
export const FRAME_SAMPLES = 512;
export const FRAME_MS = VAD_FRAME_MS;
export const VAD_SAMPLE_RATE = 16_000;
