import CodecParser from 'codec-parser';
import type { StreamAudioFormat } from '../../shared/audio-format';

type Frames = Iterable<{ duration: number }>;

/**
 * How long a turn's streamed audio plays, chunk by chunk, as the player will hear it: raw PCM
 * by its byte count and declared rate, MP3 by the duration of each frame (codec-parser reads
 * the frame headers, so any bit rate and any chunking). One per turn: MP3 frames may straddle
 * chunks, and the parser holds a frame back until the next header shows it is whole.
 */
export class AudioDuration {
  private mp3: CodecParser | undefined;

  /** Milliseconds of audio that `data` completes (a held-back MP3 frame counts later). */
  add(data: Uint8Array, format: StreamAudioFormat): number {
    if (format.codec === 'pcm') return ((data.byteLength >> 1) / format.sampleRate) * 1000;
    this.mp3 ??= new CodecParser('audio/mpeg', { enableLogging: false });
    return sum(this.mp3.parseChunk(data) as unknown as Frames);
  }

  /** The end of the turn's audio: what the parser still held. */
  flush(): number {
    const held = this.mp3 ? sum(this.mp3.flush() as unknown as Frames) : 0;
    this.mp3 = undefined;
    return held;
  }
}

function sum(frames: Frames): number {
  let ms = 0;
  for (const frame of frames) ms += frame.duration;
  return ms;
}
