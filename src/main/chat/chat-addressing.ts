import type { ChatSettings } from '../../shared/chat-settings';

/**
 * Whether a viewer's message is meant for Kiyo: it starts with the command (`!ask …`) or names
 * her (`@Kiyo`, or her name as a word). Returns the question to answer — the command removed —
 * or undefined when the message is chat among viewers.
 */
export function addressedText(
  text: string,
  settings: Pick<ChatSettings, 'command' | 'trigger'>,
  characterName: string,
): string | undefined {
  const trimmed = text.trim();
  const command = settings.command.toLowerCase();
  const lower = trimmed.toLowerCase();
  if (lower === command || lower.startsWith(`${command} `)) return trimmed.slice(command.length).trim();
  if (settings.trigger === 'interval') return trimmed;
  return mentions(trimmed, characterName) ? trimmed : undefined;
}

export function mentions(text: string, name: string): boolean {
  const escaped = name.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!escaped) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}_])@?${escaped}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}
