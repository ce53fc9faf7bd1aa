import { z } from 'zod';

/**
 * Settings of the phrase cache (synthesised audio reused when the same words are spoken again in
 * the same voice) and of the instant first sound (a short cached filler played when the reply is
 * slow to start). Sections `phraseCache` and `firstSound` of the one settings schema.
 */

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const phrase = (max: number) => z.string().trim().min(1).max(max);

export const DEFAULT_FILLERS = ['Hmm,', 'Let me see…', 'Oh,', 'Well,'];

export const phraseCacheSchema = z.object({
  sizeMb: int(0, 1024)
    .default(32)
    .describe(
      'Largest size of the phrase cache, in MB: audio of clauses already spoken, kept in memory and in the user-data folder so a clause heard again in the same voice plays at once, with no request to the voice service (the least recently used go first; 0 = off, and then no instant first sound either: its fillers play from here).',
    ),
  preloadPhrases: z
    .array(phrase(200))
    .max(100)
    .default(['Okay!', 'Hello!', 'Thank you!', 'Sorry!', 'Hehe,', 'Yes!', 'No way!'])
    .describe(
      'Common phrases synthesised into the cache in the background at start and whenever the voice changes (one per line), so they never wait for the voice service.',
    ),
});

export const firstSoundSchema = z.object({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      'Instant first sound: when no reply audio has started a short delay after Enter (or the end of your speech), Kiyo says a short filler from the list below, so the pause never feels dead. The filler is never shown or remembered; the reply follows right after it.',
    ),
  delayMs: int(0, 5000)
    .default(250)
    .describe('ms after Enter (or the end of speech) without reply audio after which the filler plays.'),
  fillers: z
    .array(phrase(60))
    .min(1)
    .max(20)
    .default(DEFAULT_FILLERS)
    .describe(
      'Short fillers, one per line; one is picked at random, never the same twice in a row. Each is preloaded in the phrase cache (only a cached filler plays: it must be instant).',
    ),
});

export type PhraseCacheSettings = z.infer<typeof phraseCacheSchema>;
export type FirstSoundSettings = z.infer<typeof firstSoundSchema>;
