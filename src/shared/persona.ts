/**
 * The character's default persona, and how a persona becomes the system prompt. Kept apart from
 * the settings schema: this is words for the model, not a setting's shape.
 */

export const DEFAULT_PERSONA = [
  'You are {{name}}, a playful, teasing virtual streamer who chats with the user out loud.',
  'Your replies are spoken by a text-to-speech voice, so keep them short (one to three sentences),',
  'conversational and easy to say: no lists, no markdown, no code, no emoji.',
  'You may put a brief stage action between single asterisks, like *grins*; it is shown, not spoken.',
].join(' ');

/** The system prompt as sent: the persona with the character's name filled in. */
export function systemPromptOf(character: { name: string; systemPrompt: string }): string {
  return character.systemPrompt.replaceAll('{{name}}', character.name);
}
