import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { WordTiming } from '../../../shared/pipeline-events';

/** Edge reports times in 100-nanosecond ticks. */
const TICKS_PER_MS = 10_000;
/** More boundaries than any clause has words: a runaway upstream cannot grow memory without end. */
const MAX_WORDS_PER_CLAUSE = 2000;
const MAX_WORD_CHARS = 200;

/**
 * One `audio.metadata` message as the service sends it. Other metadata types (SentenceBoundary,
 * SessionEnd, whatever comes next) are allowed and skipped: only word boundaries are used.
 */
const metadataSchema = z.object({
  Metadata: z.array(
    z.object({
      Type: z.string(),
      Data: z.unknown().optional(),
    }),
  ),
});

const wordBoundarySchema = z.object({
  Offset: z.number().finite().min(0),
  Duration: z.number().finite().min(0),
  text: z.object({ Text: z.string().min(1).max(MAX_WORD_CHARS) }),
});

/** The word boundaries in one metadata message; throws on a message that is not one. */
export function parseWordBoundaries(body: string): WordTiming[] {
  const message = metadataSchema.parse(JSON.parse(body));
  const words: WordTiming[] = [];
  for (const item of message.Metadata) {
    if (item.Type !== 'WordBoundary') continue;
    const data = wordBoundarySchema.parse(item.Data);
    words.push({
      text: data.text.Text,
      offsetMs: data.Offset / TICKS_PER_MS,
      durationMs: data.Duration / TICKS_PER_MS,
    });
  }
  return words;
}

/**
 * Collects the word boundaries of one clause from msedge-tts's metadata stream as they arrive;
 * the engine hands them on with the next audio chunk. A message that cannot be read ends word
 * timing for that clause (its subtitles fall back to the whole segment), never the audio.
 */
export class WordBoundaryCollector {
  private pending: WordTiming[] = [];
  private count = 0;
  private broken = false;
  /** Latest offset handed on, so a clause resumed on a new socket does not repeat its words. */
  private lastOffset = Number.NEGATIVE_INFINITY;

  constructor(private readonly onProblem: (message: string) => void) {}

  /** Listens to one request's metadata stream (null when boundaries were not asked for). */
  listen(stream: Readable | null): () => void {
    if (!stream) return () => {};
    const onData = (chunk: Buffer | string) => this.add(chunk.toString());
    // Its errors are the audio stream's too (msedge-tts destroys both): the audio path reports them.
    const onError = () => {};
    stream.on('data', onData);
    stream.on('error', onError);
    return () => {
      stream.off('data', onData);
      stream.off('error', onError);
    };
  }

  add(body: string): void {
    if (this.broken) return;
    let words: WordTiming[];
    try {
      words = parseWordBoundaries(body);
    } catch (error) {
      this.broken = true;
      this.pending = [];
      this.onProblem(
        `Edge TTS sent word timing Kiyo cannot read (${(error as Error).message.slice(0, 120)})`,
      );
      return;
    }
    for (const word of words) {
      if (word.offsetMs <= this.lastOffset || this.count >= MAX_WORDS_PER_CLAUSE) continue;
      this.lastOffset = word.offsetMs;
      this.count++;
      this.pending.push(word);
    }
  }

  /** The words that arrived since the last call (undefined when none). */
  take(): WordTiming[] | undefined {
    if (this.pending.length === 0) return undefined;
    const words = this.pending;
    this.pending = [];
    return words;
  }
}
