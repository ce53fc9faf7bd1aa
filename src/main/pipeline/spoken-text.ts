/**
 * Display text → the words a voice should say. The display keeps markdown, emoji and
 * *actions*; the voice gets none of them.
 */

const FENCED_CODE = /```[\s\S]*?(```|$)/g;
// A single-asterisk span is a stage action (*smiles*); `**bold**` is not.
const ACTION = /(?<![*\w])\*(?![*\s])([^*\n]+?)(?<!\s)\*(?![*\w])/g;
const MARKDOWN_LINK = /!?\[([^\]]*)\]\([^)]*\)/g;
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>()]+/gi;
const INLINE_CODE = /`([^`]*)`/g;
const LINE_MARKERS = /^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)/gm;
const EMPHASIS_MARKS = /\*+|(?<!\w)_{1,3}|_{1,3}(?!\w)|~~/g;
// C0/C1 controls (not tab and line breaks, which are word gaps), lone surrogates and the two
// non-characters: XML forbids them, so one in the SSML fails the whole clause, and no voice says them.
// eslint-disable-next-line no-control-regex
const UNSPEAKABLE_CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/gu;
const EMOJI =
  /\p{Extended_Pictographic}(?:\uFE0F|\u200D|\p{Emoji_Modifier}|\p{Extended_Pictographic})*|[\uFE0F\u20E3]/gu;

function spokenUrl(url: string): string {
  try {
    const host = new URL(url.startsWith('www.') ? `https://${url}` : url).hostname;
    return host.replace(/^www\./, '');
  } catch {
    return '';
  }
}

export function toSpokenText(display: string): string {
  return display
    .replace(UNSPEAKABLE_CONTROLS, '')
    .replace(FENCED_CODE, ' ')
    .replace(ACTION, ' ')
    .replace(MARKDOWN_LINK, '$1')
    .replace(URL_PATTERN, (url) => {
      const trailing = /[.,;:!?]*$/.exec(url)![0];
      return ` ${spokenUrl(url.slice(0, url.length - trailing.length))}${trailing} `;
    })
    .replace(INLINE_CODE, '$1')
    .replace(LINE_MARKERS, '')
    .replace(EMPHASIS_MARKS, '')
    .replace(EMOJI, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .trim();
}

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Length of spoken text in "latin character equivalents": a CJK character is about one
 * syllable, roughly two latin letters of speech, so it counts 2. Spaces don't count.
 */
export function speechLength(spoken: string): number {
  let n = 0;
  for (const ch of spoken) {
    if (ch === ' ') continue;
    n += WIDE.test(ch) ? 2 : 1;
  }
  return n;
}

/** True when the text has something a voice can say (letters or digits in any script). */
export function isSpeakable(spoken: string): boolean {
  return /[\p{L}\p{N}]/u.test(spoken);
}
