import type { WordTiming } from '../../../shared/pipeline-events';

/** A word's place in the displayed text: [start, end) in UTF-16 units. */
export interface WordSpan {
  start: number;
  end: number;
}

/**
 * Where each timed word sits in the subtitle, found in order (case-insensitively) after the word
 * before it; undefined for a word the text does not show (spoken-only text), which is then simply
 * not highlighted.
 */
export function locateWords(text: string, words: readonly WordTiming[]): (WordSpan | undefined)[] {
  const haystack = text.toLowerCase();
  let from = 0;
  return words.map((word) => {
    const needle = word.text.toLowerCase();
    const at = needle ? haystack.indexOf(needle, from) : -1;
    if (at < 0) return undefined;
    from = at + needle.length;
    return { start: at, end: from };
  });
}

/**
 * The word being spoken `elapsedMs` after the segment's first sample: from its offset until the
 * next word starts (a pause keeps the last word lit), the last one until it ends; -1 before the
 * first word and after the last.
 */
export function wordAt(words: readonly WordTiming[], elapsedMs: number): number {
  let current = -1;
  for (let i = 0; i < words.length && words[i]!.offsetMs <= elapsedMs; i++) current = i;
  if (current < 0) return -1;
  const word = words[current]!;
  if (current === words.length - 1 && elapsedMs > word.offsetMs + word.durationMs) return -1;
  return current;
}
