import { SettingField } from '../SettingField';
import type { SectionProps } from '../PreferencesApp';

const FIRST_SOUND_KEYS = ['enabled', 'delayMs', 'fillers'] as const;
const PHRASE_CACHE_KEYS = ['sizeMb', 'preloadPhrases'] as const;

/**
 * Preferences → Streaming, below the streaming knobs: the instant first sound and the phrase
 * cache it plays from, rendered from their schemas (src/shared/phrase-settings.ts).
 */
export function PhrasesSection({ settings, save }: SectionProps) {
  const { firstSound, phraseCache } = settings;
  return (
    <section>
      <h2>Instant first sound</h2>
      <p className="hint">
        A short filler while the reply is on its way; it shows up as “First sound” on the Latency tab.
      </p>
      {FIRST_SOUND_KEYS.map((key) => (
        <SettingField
          key={key}
          section="firstSound"
          name={key}
          value={firstSound[key]}
          onCommit={(value) => save({ firstSound: { [key]: value } }, `firstSound.${key}`)}
        />
      ))}
      <h2>Phrase cache</h2>
      {PHRASE_CACHE_KEYS.map((key) => (
        <SettingField
          key={key}
          section="phraseCache"
          name={key}
          value={phraseCache[key]}
          onCommit={(value) => save({ phraseCache: { [key]: value } }, `phraseCache.${key}`)}
        />
      ))}
    </section>
  );
}
