import type { StreamAudioFormat } from '../../../shared/audio-format';
import type { WordTiming } from '../../../shared/pipeline-events';

/** A clause's complete audio as the voice produced it, with its word timings if the voice gave any. */
export interface CachedPhrase {
  format: StreamAudioFormat;
  data: Uint8Array;
  words?: WordTiming[];
}

export interface PhraseCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

/** One entry may take at most this share of the cache, so one long clause cannot evict all the rest. */
const MAX_ENTRY_SHARE = 1 / 4;

/**
 * Synthesised audio by phrase key (voice + exact text, see phrase-key.ts), least recently used
 * first out, bounded in bytes. In memory only: phrase-cache-store.ts persists it. A Map keeps
 * insertion order, so re-inserting on use makes its first key the least recently used.
 */
export class PhraseCache {
  private readonly entries = new Map<string, CachedPhrase>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private readonly listeners = new Set<() => void>();
  /** Resolves once what was on disk is in (at once without a store); preloading waits for it. */
  ready: Promise<void> = Promise.resolve();

  constructor(private maxBytes: number) {}

  get limitBytes(): number {
    return this.maxBytes;
  }

  /** The entry, counted as a hit or a miss and marked as just used. */
  lookup(key: string): CachedPhrase | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.touch(key, entry);
    return entry;
  }

  /** The entry, marked as just used but not counted (a filler looked up for the first sound). */
  peek(key: string): CachedPhrase | undefined {
    const entry = this.entries.get(key);
    if (entry) this.touch(key, entry);
    return entry;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Stores complete audio; an entry too large for the cache is not stored. Returns whether it was. */
  set(key: string, phrase: CachedPhrase): boolean {
    const size = sizeOf(key, phrase);
    if (size > this.maxBytes * MAX_ENTRY_SHARE) return false;
    this.delete(key);
    this.entries.set(key, phrase);
    this.bytes += size;
    this.evict();
    this.changed();
    return true;
  }

  /** A new size limit (the setting changed): the least recently used go until it fits. */
  resize(maxBytes: number): void {
    if (maxBytes === this.maxBytes) return;
    this.maxBytes = maxBytes;
    if (this.evict()) this.changed();
  }

  /** Entries from least to most recently used (the order the store writes them in). */
  *leastRecentFirst(): Generator<[string, CachedPhrase]> {
    yield* this.entries;
  }

  /** Puts entries read from disk in, oldest first, without replacing anything newer. */
  restore(entries: Iterable<[string, CachedPhrase]>): void {
    const newer = [...this.entries];
    this.entries.clear();
    this.bytes = 0;
    for (const [key, phrase] of entries) {
      this.entries.set(key, phrase);
      this.bytes += sizeOf(key, phrase);
    }
    for (const [key, phrase] of newer) {
      this.delete(key);
      this.entries.set(key, phrase);
      this.bytes += sizeOf(key, phrase);
    }
    // Read back into a smaller limit (or 0, off): the file is rewritten without what no longer fits.
    if (this.evict()) this.changed();
  }

  stats(): PhraseCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size, bytes: this.bytes };
  }

  /** Called after every change (the store saves a while later). Returns unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private touch(key: string, entry: CachedPhrase): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, old);
  }

  private evict(): boolean {
    let evicted = false;
    while (this.bytes > this.maxBytes) {
      const [key] = this.entries.keys();
      this.delete(key!);
      evicted = true;
    }
    return evicted;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** What an entry costs: its audio plus its key and words (small, but a bound in MB means all of it). */
function sizeOf(key: string, phrase: CachedPhrase): number {
  return phrase.data.byteLength + key.length * 2 + (phrase.words?.length ?? 0) * 48;
}
