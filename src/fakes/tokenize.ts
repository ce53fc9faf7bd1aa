/**
 * Splits text roughly the way an LLM tokenizer streams it: a word with its leading space,
 * punctuation on its own, one CJK character at a time. CJK goes by script extension, so the
 * characters Japanese shares with other scripts (ー, 々) are one token each too, not the start
 * of a run of "letters" that would swallow the rest of the sentence in one token.
 */
export function tokenize(text: string): string[] {
  return (
    text.match(
      /\s*[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]|\s*[\p{L}\p{N}]+|\s*[^\s\p{L}\p{N}]|\s+/gu,
    ) ?? []
  );
}
