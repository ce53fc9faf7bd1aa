import type { SttSettings } from '../../../shared/settings';
import type { SttProviderId, SttProvidersSettingsOf } from '../../../shared/stt-providers/catalog';
import type { Logger } from '../logger';
import { OpenAiTranscriber } from './openai-transcriber';
import type { Transcriber } from './transcriber';

type Factories = {
  [Id in SttProviderId]: (settings: () => SttProvidersSettingsOf[Id], logger: Logger) => Transcriber;
};

/** The transcriber of every provider declared in src/shared/stt-providers/catalog.ts. */
const FACTORIES: Factories = {
  openai: (settings, logger) => new OpenAiTranscriber(settings, logger),
};

/**
 * The transcriber for whichever provider `settings()` names at the time of each utterance, so a
 * change of provider or of its settings in Preferences applies to the next one.
 */
export function createTranscriber(settings: () => SttSettings, logger: Logger): Transcriber {
  const made = new Map<SttProviderId, Transcriber>();
  // Every provider's key is a secret from the start, not only once its transcriber first runs
  // (settings may not be readable yet where a runner is built around a stand-in conversation).
  const initial = (() => {
    try {
      return settings();
    } catch {
      return undefined;
    }
  })();
  for (const provider of Object.values(initial?.providers ?? {}) as { apiKey?: string }[])
    logger.addSecret(provider.apiKey ?? '');
  return {
    transcribe(wav, signal) {
      const id = settings().provider;
      let transcriber = made.get(id);
      if (!transcriber) {
        transcriber = FACTORIES[id](() => settings().providers[id], logger.child('stt'));
        made.set(id, transcriber);
      }
      return transcriber.transcribe(wav, signal);
    },
  };
}
