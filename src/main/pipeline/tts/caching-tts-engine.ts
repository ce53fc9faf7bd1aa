import { concatBytes } from '../../../shared/bytes';
import type { TtsProviderId, TtsProvidersSettingsOf } from '../../../shared/tts-providers/catalog';
import type { CachedPhrase, PhraseCache } from './phrase-cache';
import { phraseKey, voiceKey } from './phrase-key';
import type { ProviderEngine } from './providers/provider';
import { SharedSynthesis } from './shared-synthesis';
import type { AudioChunk, SynthesisRequest } from './tts-engine';

/** Largest chunk a cached phrase is replayed in (even, so PCM samples are never split). */
const REPLAY_CHUNK_BYTES = 8192;

/** Told when a clause needs the voice service, so background preloading can step aside. */
export interface ForegroundActivity {
  begin(): void;
  end(): void;
}

/**
 * One provider's engine with the phrase cache in front of it. A clause already in the cache for
 * this voice (provider, voice, rate, pitch, format: phrase-key.ts) is replayed at once with no
 * request; otherwise it is synthesised once however many clauses ask for it at the same time, and
 * stored only when its audio came complete. Each provider of the fallback order has its own, so a
 * fallback voice's audio is only ever stored under that voice's key.
 */
export class CachingTtsEngine implements ProviderEngine<unknown> {
  private voice: string;
  private readonly flights = new Map<string, SharedSynthesis>();
  readonly probe?: () => Promise<boolean>;

  constructor(
    private readonly id: TtsProviderId,
    settings: unknown,
    private readonly inner: ProviderEngine<unknown>,
    private readonly cache: PhraseCache,
    private readonly activity?: ForegroundActivity,
  ) {
    this.voice = this.voiceOf(settings);
    if (inner.probe) this.probe = () => inner.probe!();
  }

  updateSettings(settings: unknown): void {
    this.voice = this.voiceOf(settings);
    this.inner.updateSettings(settings);
  }

  warm(): void {
    this.inner.warm();
  }

  close(): void {
    this.inner.close();
  }

  /** Whether `text` is in the cache for this voice as it is set now. */
  has(text: string): boolean {
    return this.cache.has(phraseKey(this.voice, text));
  }

  /** The cached audio of `text` for this voice, without waiting and without asking the service. */
  cachedAudio(text: string): AudioChunk[] | undefined {
    const phrase = this.cache.peek(phraseKey(this.voice, text));
    return phrase && replayChunks(phrase);
  }

  async *synthesize(request: SynthesisRequest): AsyncGenerator<AudioChunk> {
    const key = phraseKey(this.voice, request.text);
    const hit = this.cache.lookup(key);
    if (hit) {
      yield* replayChunks(hit);
      return;
    }
    this.activity?.begin();
    try {
      yield* this.flight(key, request).follow(request.signal);
    } finally {
      this.activity?.end();
    }
  }

  /** Background preloading: synthesises `text` into the cache unless it is there. */
  async fill(text: string, signal: AbortSignal): Promise<void> {
    const key = phraseKey(this.voice, text);
    if (this.cache.has(key)) return;
    for await (const _ of this.flight(key, { text, signal }).follow(signal));
  }

  private flight(key: string, request: SynthesisRequest): SharedSynthesis {
    const running = this.flights.get(key);
    if (running?.joinable) return running;
    const { signal: _, ...rest } = request;
    const flight = new SharedSynthesis(this.inner, rest);
    this.flights.set(key, flight);
    void flight.outcome.then((chunks) => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
      if (chunks) this.cache.set(key, toPhrase(chunks));
    });
    return flight;
  }

  private voiceOf(settings: unknown): string {
    return voiceKey(this.id, settings as TtsProvidersSettingsOf[TtsProviderId]);
  }
}

function toPhrase(chunks: AudioChunk[]): CachedPhrase {
  const words = chunks.flatMap((c) => c.words ?? []);
  return {
    format: chunks.find((c) => c.data.byteLength > 0)!.format,
    data: concatBytes(chunks.map((c) => c.data)),
    ...(words.length > 0 && { words }),
  };
}

/** A cached phrase as chunks of at most REPLAY_CHUNK_BYTES; its words ride on the first. */
export function replayChunks(phrase: CachedPhrase, maxBytes = REPLAY_CHUNK_BYTES): AudioChunk[] {
  const size = Math.max(2, maxBytes - (maxBytes % 2));
  const chunks: AudioChunk[] = [];
  for (let at = 0; at < phrase.data.byteLength; at += size) {
    chunks.push({ data: phrase.data.subarray(at, at + size), format: phrase.format });
  }
  if (phrase.words && chunks[0]) chunks[0] = { ...chunks[0], words: phrase.words };
  return chunks;
}
