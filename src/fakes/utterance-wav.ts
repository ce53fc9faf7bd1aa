import { writeFileSync } from 'node:fs';

/**
 * WAV files for Chromium's fake microphone (`--use-file-for-fake-audio-capture=<wav>`): silences
 * and speech in order, 16-bit mono. The speech is espeak-ng's (npm text2wav, in WebAssembly), as
 * the fake transcription server synthesises and registers it (FakeOpenAiTranscriptionServer.register
 * returns those samples), so the fake recognises what the page records.
 *
 * Chromium loops the file: end it with enough silence that the speech is not heard again within a
 * test, or count on hearing it again.
 */
export const MIC_SAMPLE_RATE = 16_000;

export type MicPart =
  | { silenceMs: number }
  /** `gain` scales the speech (e.g. 0.05 for Kiyo's own voice coming back from the speakers). */
  | { speech: Int16Array; gain?: number };

export function micSamples(parts: MicPart[]): Int16Array {
  const chunks = parts.map((part) => {
    if ('silenceMs' in part) return new Int16Array(Math.round((part.silenceMs * MIC_SAMPLE_RATE) / 1000));
    const gain = part.gain ?? 1;
    return part.speech.map((s) => Math.max(-32768, Math.min(32767, Math.round(s * gain))));
  });
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function wavBytes(samples: Int16Array, sampleRate = MIC_SAMPLE_RATE): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/** Writes the fake microphone's file; returns its path. */
export function writeMicWav(path: string, parts: MicPart[]): string {
  writeFileSync(path, wavBytes(micSamples(parts)));
  return path;
}

/** Milliseconds of `samples` at the microphone's rate. */
export const durationMs = (samples: Int16Array) => (samples.length / MIC_SAMPLE_RATE) * 1000;
