import { z } from 'zod';

/**
 * The emotion tags the model is asked to mark its reply with, e.g. "[joy] Yay!": one setting
 * (`character.emotionTags`, names separated by spaces) read by the persona (which tags to ask
 * for), the reply's text path (which tags to take out and hand to the avatar) and Preferences
 * (the emotion → expression mapping lists these names).
 */

export const DEFAULT_EMOTION_TAGS = 'joy sad angry surprised thinking shy neutral';

/** A tag name: a lowercase word (letters, "-" or "_"), as the model writes it between brackets. */
const NAME = /^[a-z][a-z_-]{1,23}$/;
const MAX_TAGS = 24;

export const emotionTagsField = z
  .string()
  .trim()
  .max(400)
  .refine((value) => value === '' || value.split(/\s+/).every((name) => NAME.test(name)), {
    message:
      'Write the emotion names in lowercase letters, separated by spaces, for example "joy sad angry" (2 to 24 letters each, no brackets).',
  })
  .refine((value) => value === '' || value.split(/\s+/).length <= MAX_TAGS, {
    message: `At most ${MAX_TAGS} emotion names.`,
  });

/** The names in a valid `emotionTags` value, without duplicates ([] = tags off). */
export function emotionNames(emotionTags: string): string[] {
  const trimmed = emotionTags.trim();
  return trimmed === '' ? [] : [...new Set(trimmed.split(/\s+/))];
}
