import type { PipelineSettings } from '../../shared/settings';
import { toSpokenText } from './spoken-text';
import type { PhraseCacheOptions } from './tts/tts-engine';

const MB = 2 ** 20;

/**
 * What the phrase cache should hold for these settings: its size, and the common phrases plus,
 * when the instant first sound is on, its fillers, as the voice will be asked to speak them (the
 * cache is keyed by the exact spoken text).
 */
export function phraseCacheOptions(settings: PipelineSettings): PhraseCacheOptions {
  const { phraseCache, firstSound } = settings;
  const phrases = [...phraseCache.preloadPhrases, ...(firstSound.enabled ? firstSound.fillers : [])];
  return {
    maxBytes: Math.round(phraseCache.sizeMb * MB),
    preload: [...new Set(phrases.map(toSpokenText).filter((text) => text.trim() !== ''))],
  };
}
