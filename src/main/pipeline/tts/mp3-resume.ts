import CodecParser from 'codec-parser';
import { concatBytes } from '../../../shared/bytes';

type Frames = Iterable<{ data: Uint8Array }>;
const frames = (iterator: unknown) => iterator as Frames;
const parser = () => new CodecParser('audio/mpeg', { enableLogging: false });

/** Counts the complete MP3 frames in what has been delivered of a clause. */
export class Mp3FrameCounter {
  private readonly parser = parser();
  private count = 0;

  add(data: Uint8Array): void {
    for (const _frame of frames(this.parser.parseChunk(data))) this.count++;
  }

  /** Frames delivered whole (the parser holds the newest one until it sees the next header). */
  total(): number {
    for (const _frame of frames(this.parser.flush())) this.count++;
    return this.count;
  }
}

/**
 * Drops the first `skip` frames of a re-synthesised clause and passes the rest on frame-aligned,
 * so a clause whose socket dropped resumes where the listener stopped hearing it instead of
 * starting over.
 */
export class Mp3Resumer {
  private readonly parser = parser();
  private seen = 0;

  constructor(private readonly skip: number) {}

  push(data: Uint8Array): Uint8Array | undefined {
    return this.keep(frames(this.parser.parseChunk(data)));
  }

  end(): Uint8Array | undefined {
    return this.keep(frames(this.parser.flush()));
  }

  private keep(list: Frames): Uint8Array | undefined {
    const kept: Uint8Array[] = [];
    for (const frame of list) if (++this.seen > this.skip) kept.push(frame.data);
    if (kept.length === 0) return undefined;
    return concatBytes(kept);
  }
}
