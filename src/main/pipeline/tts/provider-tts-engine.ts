import type { TtsSettings } from '../../../shared/settings';
import { FallbackTtsEngine } from './fallback-tts-engine';
import { providerInfo, type TtsProviderId } from '../../../shared/tts-providers/catalog';
import type { ProviderContext, ProviderEngine } from './providers/provider';
import { TTS_PROVIDERS } from './providers/registry';
import type { AudioChunk, PhraseCacheOptions, SynthesisRequest, TtsEngine } from './tts-engine';
import { CachingTtsEngine } from './caching-tts-engine';
import { PhrasePreloader } from './phrase-preloader';

/** The chosen voice first, then the fallback order without it. */
export function voiceOrder(settings: TtsSettings): TtsProviderId[] {
  return [settings.provider, ...settings.fallback.filter((id) => id !== settings.provider)];
}

/**
 * The voice as the settings describe it: the chosen provider's engine with the fallback order
 * behind it, built from the registry. New settings apply from the next clause: a provider's own
 * settings go to its engine, and a new choice or order rebuilds the chain (engines still in it
 * are kept, with their warm connections).
 */
export class ProviderTtsEngine implements TtsEngine {
  private readonly engines = new Map<TtsProviderId, ProviderEngine<unknown>>();
  private chain: FallbackTtsEngine;
  private order: TtsProviderId[];
  /** With a phrase cache in the context: fills it in the background for the chosen voice. */
  readonly preloader: PhrasePreloader | undefined;

  constructor(
    settings: TtsSettings,
    private readonly context: ProviderContext,
    private readonly probeEveryMs?: number,
  ) {
    this.order = voiceOrder(settings);
    this.preloader = context.phraseCache && new PhrasePreloader(context.phraseCache, context.logger);
    this.chain = this.build(settings);
  }

  /** The provider ids in the order they are tried. */
  get voices(): readonly TtsProviderId[] {
    return this.order;
  }

  configure(settings: TtsSettings): void {
    const order = voiceOrder(settings);
    for (const [id, engine] of this.engines) {
      if (order.includes(id)) engine.updateSettings(settings.providers[id]);
      else {
        engine.close();
        this.engines.delete(id);
      }
    }
    if (order.join() !== this.order.join()) {
      this.order = order;
      // Stops the old chain's background probes; its links do not own the engines.
      this.chain.close();
      this.chain = this.build(settings);
    }
  }

  private build(settings: TtsSettings): FallbackTtsEngine {
    const links = this.order.map((id) => {
      let engine = this.engines.get(id);
      if (!engine) {
        const provider = TTS_PROVIDERS[id] as unknown as {
          create(settings: unknown, context: ProviderContext): ProviderEngine<unknown>;
        };
        engine = provider.create(settings.providers[id], this.context);
        // Each voice caches under its own key: a fallback's audio never stands in for the chosen voice.
        if (this.context.phraseCache)
          engine = new CachingTtsEngine(
            id,
            settings.providers[id],
            engine,
            this.context.phraseCache,
            this.preloader,
          );
        this.engines.set(id, engine);
      }
      // The chain must not close engines it shares with the next chain: this class closes them.
      const shared = engine;
      return {
        label: providerInfo(id).label,
        engine: {
          synthesize: (request: SynthesisRequest) => shared.synthesize(request),
          warm: () => shared.warm(),
          close: () => {},
          cachedAudio: (text: string) => shared.cachedAudio?.(text),
          ...(shared.probe && { probe: () => shared.probe!() }),
        },
      };
    });
    return new FallbackTtsEngine(links, this.context.logger, this.probeEveryMs);
  }

  synthesize(request: SynthesisRequest): AsyncIterable<AudioChunk> {
    return this.chain.synthesize(request);
  }

  warm(): void {
    this.chain.warm();
  }

  cachedAudio(text: string): AudioChunk[] | undefined {
    return this.chain.cachedAudio(text);
  }

  /** The cache's size and the phrases to preload for the chosen voice (start and every change). */
  configurePhrases(options: PhraseCacheOptions): void {
    const cache = this.context.phraseCache;
    if (!cache) return;
    cache.resize(options.maxBytes);
    const chosen = this.engines.get(this.order[0]!);
    if (chosen instanceof CachingTtsEngine) this.preloader!.request(chosen, options.preload);
  }

  close(): void {
    this.preloader?.close();
    this.chain.close();
    for (const engine of this.engines.values()) engine.close();
    this.engines.clear();
  }
}
