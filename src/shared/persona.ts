/**
 * The character's default persona, and how a persona becomes the system prompt. Kept apart from
 * the settings schema: this is words for the model, not a setting's shape.
 */
import { emotionNames } from './emotion-tags';

export const DEFAULT_PERSONA = [
  'You are {{name}}, a playful, teasing virtual streamer who chats with the user out loud.',
  'Your replies are spoken by a text-to-speech voice, so keep them short (one to three sentences),',
  'conversational and easy to say: no lists, no markdown, no code, no emoji.',
  'You may put a brief stage action between single asterisks, like *grins*; it is shown, not spoken.',
].join(' ');

/**
 * How the model is asked for emotion tags. Appended to any persona rather than written into the
 * default one, so a persona the user wrote (or one saved before tags existed) still gets it, and
 * the list always matches the tags the reply's text path takes out.
 */
export function emotionInstruction(names: readonly string[]): string {
  const tags = names.map((n) => `[${n}]`).join(' ');
  const [first = 'joy', second = first] = names;
  return [
    `Mark the feeling of what you say with one of these tags: ${tags}.`,
    `Put a tag at the start of your reply and again wherever your feeling changes, before the words it belongs to, like "[${first}] That's great! [${second}] Hmm, but wait."`,
    'Use only these tags, in square brackets, never anything else in square brackets; they are not spoken.',
  ].join(' ');
}

/** The system prompt as sent: the persona with the character's name filled in, and the tag rules. */
export function systemPromptOf(character: {
  name: string;
  systemPrompt: string;
  emotionTags?: string;
}): string {
  const persona = character.systemPrompt.replaceAll('{{name}}', character.name);
  const names = emotionNames(character.emotionTags ?? '');
  return names.length > 0 ? `${persona}\n\n${emotionInstruction(names)}` : persona;
}
