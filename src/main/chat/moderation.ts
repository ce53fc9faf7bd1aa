import type { ChatSettings } from '../../shared/chat-settings';
import type { DropReason, IncomingChatMessage } from '../../shared/chat';
import { parseBlocklist, type Blocklist } from './blocklist';
import { addressedText } from './chat-addressing';
import { hasLink, replaceLinks } from './links';

export type ModerationRules = Pick<
  ChatSettings,
  | 'blocklist'
  | 'maxMessageChars'
  | 'links'
  | 'repeatWindowSeconds'
  | 'viewerMaxPerMinuteMessages'
  | 'command'
  | 'trigger'
>;

export type ModerationResult = { ok: true; text: string } | { ok: false; reason: DropReason };

/** Remembered texts / viewers at most, so a flood of distinct messages costs bounded memory. */
const MAX_REMEMBERED = 5000;
const MINUTE = 60_000;

/**
 * Everything a viewer's message goes through before it may reach the model, in order: spam rate,
 * length, blocklist, links, repeats, and whether it is addressed to Kiyo at all. Pure apart from
 * its own memory of recent messages; time comes from `now` (fake clocks in tests).
 */
export class ChatModerator {
  private rules!: ModerationRules;
  private blocklist!: Blocklist;
  private characterName!: string;
  /** Normalised text → when it was last seen. */
  private readonly seen = new Map<string, number>();
  /** Viewer id → times of their recent messages (within a minute). */
  private readonly rate = new Map<string, number[]>();

  constructor(
    rules: ModerationRules,
    characterName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.configure(rules, characterName);
  }

  configure(rules: ModerationRules, characterName: string): void {
    if (this.rules?.blocklist !== rules.blocklist) this.blocklist = parseBlocklist(rules.blocklist);
    this.rules = rules;
    this.characterName = characterName;
  }

  get invalidBlocklistLines(): string[] {
    return this.blocklist.invalid;
  }

  check(message: Pick<IncomingChatMessage, 'viewerId' | 'text'>): ModerationResult {
    const now = this.now();
    const rules = this.rules;
    // Counted before anything else, so a viewer flooding blocked or long messages is still spam.
    if (this.tooFast(message.viewerId, now)) return { ok: false, reason: 'spam' };
    const addressed = addressedText(message.text, rules, this.characterName);
    if (addressed === undefined) return { ok: false, reason: 'not-addressed' };
    if ([...addressed].length > rules.maxMessageChars) return { ok: false, reason: 'too-long' };
    if (this.blocklist.matches(message.text)) return { ok: false, reason: 'blocklist' };
    let text = addressed;
    if (hasLink(text)) {
      if (rules.links === 'drop') return { ok: false, reason: 'link' };
      text = replaceLinks(text, '(link)');
    }
    if (this.repeated(text, now)) return { ok: false, reason: 'repeat' };
    if (!/[\p{L}\p{N}]/u.test(text.replace(/\(link\)/g, ''))) return { ok: false, reason: 'empty' };
    return { ok: true, text };
  }

  private tooFast(viewerId: string, now: number): boolean {
    const times = (this.rate.get(viewerId) ?? []).filter((t) => now - t < MINUTE);
    times.push(now);
    this.rate.delete(viewerId); // re-inserted last: the map's order is least recently active first
    this.rate.set(viewerId, times.slice(-(this.rules.viewerMaxPerMinuteMessages + 1)));
    trim(this.rate);
    return times.length > this.rules.viewerMaxPerMinuteMessages;
  }

  private repeated(text: string, now: number): boolean {
    const window = this.rules.repeatWindowSeconds * 1000;
    if (window === 0) return false;
    const key = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    const last = this.seen.get(key);
    this.seen.delete(key);
    this.seen.set(key, now);
    for (const [k, at] of this.seen) {
      if (now - at < window) break; // insertion order is time order
      this.seen.delete(k);
    }
    trim(this.seen);
    return last !== undefined && now - last < window;
  }
}

function trim<K, V>(map: Map<K, V>): void {
  while (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as K);
}
