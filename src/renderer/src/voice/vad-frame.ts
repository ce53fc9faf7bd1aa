/** Silero v5 takes 512 samples at 16 kHz: one frame is 32 ms. */
export const FRAME_SAMPLES = 512;
export const FRAME_MS = 32;
export const VAD_SAMPLE_RATE = 16_000;
