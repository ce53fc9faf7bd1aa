/**
 * The streamer's blocklist: one entry a line, a word or phrase (case-insensitive, matched as whole
 * words) or `/a regular expression/flags`. The same list screens viewers' messages before the
 * model and Kiyo's reply before it is spoken.
 */
export interface Blocklist {
  /** True when `text` contains a blocked entry. */
  matches(text: string): boolean;
  /** `text` with every blocked entry replaced by `replacement`. */
  redact(text: string, replacement: string): string;
  /** Lines that are not valid regular expressions (ignored), to tell the streamer. */
  invalid: string[];
}

const ESCAPE = /[.*+?^${}()|[\]\\]/g;
/** Word edges for any script: not preceded or followed by a letter, digit or underscore. */
const BEFORE = '(?<![\\p{L}\\p{N}_])';
const AFTER = '(?![\\p{L}\\p{N}_])';

export function parseBlocklist(source: string): Blocklist {
  const patterns: RegExp[] = [];
  const invalid: string[] = [];
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const regex = /^\/(.+)\/([a-z]*)$/s.exec(line);
    try {
      if (regex) {
        // Always global (to replace every match) and case-insensitive unless the streamer says more.
        const flags = new Set([...regex[2]!, 'g', 'i', 'u']);
        patterns.push(new RegExp(regex[1]!, [...flags].filter((f) => 'gimsuy'.includes(f)).join('')));
      } else {
        const words = line.replace(ESCAPE, '\\$&').replace(/\s+/g, '\\s+');
        patterns.push(new RegExp(`${BEFORE}${words}${AFTER}`, 'giu'));
      }
    } catch {
      invalid.push(line);
    }
  }
  return {
    invalid,
    matches: (text) =>
      patterns.some((pattern) => {
        pattern.lastIndex = 0;
        return pattern.test(text);
      }),
    redact: (text, replacement) =>
      patterns.reduce((out, pattern) => {
        pattern.lastIndex = 0;
        return out.replace(pattern, replacement);
      }, text),
  };
}
