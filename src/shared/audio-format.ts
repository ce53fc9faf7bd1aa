/**
 * What one audio event carries, declared by the engine that produced it: MP3 (the decoder reads
 * the rate from the frames) or raw 16-bit little-endian mono PCM at the rate given here. The
 * player, the CLI and the benchmark read this and assume nothing about any voice service.
 */
export type StreamAudioFormat = { codec: 'mp3' } | { codec: 'pcm'; sampleRate: number };

export const MP3: StreamAudioFormat = { codec: 'mp3' };

export function pcmAt(sampleRate: number): StreamAudioFormat {
  return { codec: 'pcm', sampleRate };
}

/** MIME type, for decoders and for files written by the CLI. */
export function mimeOf(format: StreamAudioFormat): string {
  return format.codec === 'mp3' ? 'audio/mpeg' : `audio/L16;rate=${format.sampleRate}`;
}

export function sameFormat(a: StreamAudioFormat, b: StreamAudioFormat): boolean {
  return a.codec === b.codec && (a.codec === 'mp3' || a.sampleRate === (b as typeof a).sampleRate);
}
