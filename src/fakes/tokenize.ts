/**
 * Splits text roughly the way an LLM tokenizer streams it: a word with its leading space,
 * punctuation on its own, one CJK character at a time.
 */
export function tokenize(text: string): string[] {
  return (
    text.match(
      /\s*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|\s*[\p{L}\p{N}]+|\s*[^\s\p{L}\p{N}]|\s+/gu,
    ) ?? []
  );
}
