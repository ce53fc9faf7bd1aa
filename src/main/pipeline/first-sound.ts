import type { FirstSoundSettings } from '../../shared/phrase-settings';
import { concatBytes } from '../../shared/bytes';
import { toSpokenText } from './spoken-text';
import type { AudioChunk } from './tts/tts-engine';

/**
 * The instant first sound: when no reply audio has started `delayMs` after the input (Enter, or
 * the end of speech for a voice turn), a short filler ("Hmm,") plays from the phrase cache, so
 * the listener hears Kiyo react while the LLM is still thinking. Only a cached filler plays: one
 * that needs the voice service would arrive no sooner than the reply. It travels as audio of
 * FILLER_SEGMENT (see pipeline-events.ts): it has no segment, so no subtitle and no history,
 * and the player queues the reply right after it, so the two never overlap.
 */
export class FirstSound {
  private last: string | undefined;

  constructor(private readonly random: () => number = Math.random) {}

  /**
   * A cached filler, never the one played last time (unless it is the only one cached), as
   * chunks of at most `maxChunkBytes`; undefined when none of them is cached.
   */
  choose(
    fillers: readonly string[],
    cached: (spokenText: string) => AudioChunk[] | undefined,
    maxChunkBytes: number,
  ): { text: string; chunks: AudioChunk[] } | undefined {
    const ready = [...new Set(fillers.map(toSpokenText))]
      .map((text) => ({ text, chunks: cached(text) }))
      .filter(
        (f): f is { text: string; chunks: AudioChunk[] } => f.chunks !== undefined && f.chunks.length > 0,
      );
    const fresh = ready.length > 1 ? ready.filter((f) => f.text !== this.last) : ready;
    const pick = fresh[Math.floor(this.random() * fresh.length)];
    if (!pick) return undefined;
    this.last = pick.text;
    return { text: pick.text, chunks: rechunk(pick.chunks, maxChunkBytes) };
  }

  /**
   * Arms the filler for one turn: `sinceInputMs` have already passed since the input. At the
   * delay, if `replyStarted()` is still false, `play` gets the filler's chunks, all at once (they
   * are cached), so nothing of the reply can come between them. Returns the disarm function.
   */
  schedule(options: {
    settings: FirstSoundSettings;
    sinceInputMs: number;
    replyStarted: () => boolean;
    cached: (spokenText: string) => AudioChunk[] | undefined;
    maxChunkBytes: number;
    play: (chunks: AudioChunk[]) => void;
  }): () => void {
    const { settings } = options;
    if (!settings.enabled) return () => {};
    const fire = () => {
      if (options.replyStarted()) return;
      const filler = this.choose(settings.fillers, options.cached, options.maxChunkBytes);
      if (filler) options.play(filler.chunks);
    };
    const timer = setTimeout(fire, Math.max(0, settings.delayMs - options.sinceInputMs));
    return () => clearTimeout(timer);
  }
}

/** The same audio in chunks of at most `maxBytes` (even, so a PCM sample is never split). */
function rechunk(chunks: AudioChunk[], maxBytes: number): AudioChunk[] {
  const data = concatBytes(chunks.map((c) => c.data));
  const size = Math.max(2, maxBytes - (maxBytes % 2));
  const out: AudioChunk[] = [];
  for (let at = 0; at < data.byteLength; at += size)
    out.push({ data: data.subarray(at, at + size), format: chunks[0]!.format });
  return out;
}
