import { open, readFile, rename, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { writeFileAtomically } from '../../files/write-file-atomically';
import type { Logger } from '../logger';
import type { CachedPhrase, PhraseCache } from './phrase-cache';

/**
 * The phrase cache on disk: one file in the user-data folder, written whole under a temporary
 * name and renamed over the old one (never half-written in place), a few seconds after the cache
 * changes. Layout: "KIYOPHRC", version (uint32 BE), index length (uint32 BE), the index (JSON:
 * key, format, words, byte length and CRC-32 of each entry, least recently used first), then the
 * entries' audio back to back. A file that is truncated, damaged, or from another version is
 * dropped whole and the cache starts empty: it is only a cache, and half-trusted audio could play
 * the wrong words.
 */

const MAGIC = 'KIYOPHRC';
export const PHRASE_CACHE_FILE_VERSION = 1;
const HEADER_BYTES = MAGIC.length + 8;
const SAVE_DELAY_MS = 5000;

const formatSchema = z.union([
  z.object({ codec: z.literal('mp3') }),
  z.object({ codec: z.literal('pcm'), sampleRate: z.number().int().min(1000).max(384_000) }),
]);
const wordSchema = z.object({
  text: z.string(),
  offsetMs: z.number().min(0),
  durationMs: z.number().min(0),
});
const indexSchema = z.array(
  z.object({
    key: z.string().min(1),
    format: formatSchema,
    words: z.array(wordSchema).optional(),
    bytes: z.number().int().min(1),
    crc: z.number().int().min(0),
  }),
);
type IndexEntry = z.infer<typeof indexSchema>[number];

/** Why a cache file was not used: said in the log in plain words. */
class UnusableCacheFile extends Error {}

/** Reads a cache file's entries, least recently used first; throws UnusableCacheFile if it cannot be trusted. */
export function decodePhraseCacheFile(file: Uint8Array): [string, CachedPhrase][] {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.byteLength < HEADER_BYTES || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new UnusableCacheFile('it is not a phrase cache file');
  const version = bytes.readUInt32BE(MAGIC.length);
  if (version !== PHRASE_CACHE_FILE_VERSION)
    throw new UnusableCacheFile(`it was written by another version of Kiyo (format ${version})`);
  const indexBytes = bytes.readUInt32BE(MAGIC.length + 4);
  if (HEADER_BYTES + indexBytes > bytes.byteLength) throw new UnusableCacheFile('it is cut short');
  let index: IndexEntry[];
  try {
    index = indexSchema.parse(JSON.parse(bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + indexBytes)));
  } catch {
    throw new UnusableCacheFile('its index is damaged');
  }
  let at = HEADER_BYTES + indexBytes;
  const total = index.reduce((n, e) => n + e.bytes, 0);
  if (at + total !== bytes.byteLength)
    throw new UnusableCacheFile(at + total > bytes.byteLength ? 'it is cut short' : 'it has extra bytes');
  return index.map((entry) => {
    const data = new Uint8Array(bytes.subarray(at, at + entry.bytes));
    at += entry.bytes;
    if (crc32(data) !== entry.crc) throw new UnusableCacheFile('some of its audio is damaged');
    return [entry.key, { format: entry.format, data, ...(entry.words && { words: entry.words }) }];
  });
}

/**
 * Each entry's CRC-32, worked out once: the cache is saved every few seconds while Kiyo talks, and
 * checksumming megabytes of audio on every save would hold up the main process's event loop.
 */
const checksums = new WeakMap<Uint8Array, number>();
function checksumOf(data: Uint8Array): number {
  let crc = checksums.get(data);
  if (crc === undefined) checksums.set(data, (crc = crc32(data)));
  return crc;
}

/** The file's parts in order (header + index, then each entry's audio), for a streamed write. */
export function encodePhraseCacheFile(entries: Iterable<[string, CachedPhrase]>): Uint8Array[] {
  const index: IndexEntry[] = [];
  const data: Uint8Array[] = [];
  for (const [key, phrase] of entries) {
    index.push({
      key,
      format: phrase.format,
      ...(phrase.words && { words: phrase.words }),
      bytes: phrase.data.byteLength,
      crc: checksumOf(phrase.data),
    });
    data.push(phrase.data);
  }
  const json = Buffer.from(JSON.stringify(index), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32BE(PHRASE_CACHE_FILE_VERSION, MAGIC.length);
  header.writeUInt32BE(json.byteLength, MAGIC.length + 4);
  return [header, json, ...data];
}

/**
 * Keeps `cache` in `path`: `load` fills it from the file (in the background; the cache works
 * meanwhile and preloading waits for it), later changes are saved a few seconds after they
 * happen, and `close` writes what is left at once.
 */
export class PhraseCacheStore {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  private dirty = false;
  private readonly unsubscribe: () => void;

  constructor(
    readonly path: string,
    private readonly cache: PhraseCache,
    private readonly logger: Logger,
    private readonly saveDelayMs = SAVE_DELAY_MS,
  ) {
    this.unsubscribe = cache.onChange(() => this.scheduleSave());
  }

  /** Reads the file into the cache; a missing file is an empty cache, an unusable one is dropped. */
  load(): Promise<void> {
    const loading = this.read();
    this.cache.ready = loading;
    return loading;
  }

  private async read(): Promise<void> {
    let file: Buffer;
    try {
      file = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.logger.warn(
          `The phrase cache could not be read (${(error as Error).message}); it starts empty.`,
        );
      return;
    }
    try {
      this.cache.restore(decodePhraseCacheFile(file));
      const { entries, bytes } = this.cache.stats();
      this.logger.info(
        `phrase cache: ${entries} phrases (${(bytes / 2 ** 20).toFixed(1)} MB) from ${this.path}`,
      );
    } catch (error) {
      const why = error instanceof UnusableCacheFile ? error.message : 'it could not be read';
      this.logger.warn(`The phrase cache file was not used because ${why}; it starts empty and is rebuilt.`);
      await rm(this.path, { force: true });
    }
  }

  /** Writes the cache now (awaits a save already under way first). */
  async save(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.saving) await this.saving;
    if (!this.dirty) return;
    this.dirty = false;
    this.saving = this.write().finally(() => (this.saving = undefined));
    await this.saving;
  }

  /** Stops watching the cache and writes any unsaved change synchronously (the app is quitting). */
  close(): void {
    this.unsubscribe();
    clearTimeout(this.timer);
    if (!this.dirty) return;
    this.dirty = false;
    try {
      writeFileAtomically(this.path, Buffer.concat(encodePhraseCacheFile(this.cache.leastRecentFirst())));
    } catch (error) {
      this.logger.warn(`The phrase cache could not be saved (${(error as Error).message}).`);
    }
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.saveDelayMs);
    this.timer.unref?.();
  }

  /** Streams the parts into a temporary file, then renames it over the cache file. */
  private async write(): Promise<void> {
    // Not writeFileAtomically's temporary name: `close` may write with it while this is under way.
    const temporary = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.saving`);
    try {
      const parts = encodePhraseCacheFile(this.cache.leastRecentFirst());
      const handle = await open(temporary, 'w');
      try {
        for (const part of parts) await handle.write(part);
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      rmSync(temporary, { force: true });
      this.dirty = true; // tried again at the next change
      this.logger.warn(`The phrase cache could not be saved (${(error as Error).message}).`);
    }
  }
}
