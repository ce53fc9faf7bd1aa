import { cjkPause, cjkWordBoundaries, GOOD_PAUSE, latinPause, type PauseStrength } from './pause-points';
import { isSpeakable, speechLength, toSpokenText } from './spoken-text';

/**
 * Cuts a stream of LLM text deltas into speakable segments as early as they can sound natural.
 *
 * The first segment is latency-critical: it goes at the first clause boundary (comma, colon,
 * dash, CJK 、，。！？ …) once it is long enough. Without one, the time budget leads (the
 * conversation calls expireFirstSegmentBudget) and the character limit is a ceiling for fast
 * models; either way the cut goes where a speaker would pause (pause-points.ts), waiting a few
 * words past the budget for such a place. Later segments end at sentence boundaries, capped in
 * size, cut at a clause boundary or the best pause when they reach the cap. A boundary is never placed inside a URL, inline code, a code block or an
 * *action*, and an ASCII boundary waits for the next character when it could still turn out
 * to be a decimal (3.14), an abbreviation (e.g.), an ellipsis or a domain name.
 */

export interface SegmenterOptions {
  firstMinChars: number;
  firstMaxChars: number;
  minChars: number;
  maxChars: number;
}

export interface TextSegment {
  index: number;
  displayText: string;
  spokenText: string;
  /** The first emotion tag marked inside this segment (see markEmotion). */
  emotion?: string;
}

type Strength = 'clause' | 'sentence' | 'hard';

interface Boundary {
  /** Cut position: the segment is buffer[0, end). */
  end: number;
  strength: Strength;
}

interface Scan {
  boundaries: Boundary[];
  /** Positions where a cut falls between words (outside any span). */
  wordBreaks: number[];
  /** Text from here on is inside an unclosed span and must not be cut. */
  safeEnd: number;
}

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'approx',
  'fig',
  'no',
  'inc',
  'ltd',
  'co',
  'mt',
  'ft',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);
const CLOSERS = new Set([...'"\'”’)]}」』）】》〉']);
const CJK_CLAUSE = new Set([...'，、；：']);
const CJK_SENTENCE = new Set([...'。！？']);
// By script extension, so ー and 々 (shared with other scripts) are part of the run too.
const WIDE = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
/** Speech length the time budget waits past its expiry for a good pause (~3 words, ~6 CJK characters). */
const BUDGET_GRACE_CHARS = 12;
const EMOJI_PART = /[\p{Extended_Pictographic}\uFE0F\u200D\p{Emoji_Modifier}]/u;
const SPACE = /\s/;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string | undefined) => c !== undefined && SPACE.test(c);

export class Segmenter {
  private buffer = '';
  private nextIndex = 0;
  private budgetExpired = false;
  /** Speech length received when the budget ran out: the grace for a good pause counts from it. */
  private lengthAtExpiry = 0;
  private bufferAtLineStart = true;
  /** Characters already cut off the front of the buffer: positions below are absolute. */
  private consumed = 0;
  /** Emotion tags at the absolute position where they stood, waiting for their segment. */
  private emotions: { at: number; name: string }[] = [];

  constructor(private readonly options: SegmenterOptions) {}

  push(delta: string): TextSegment[] {
    this.buffer += delta;
    return this.drain(false);
  }

  /**
   * An emotion tag stood here (its text already taken out). It belongs to the segment that holds
   * the text after it; when one segment holds several, the first is kept: the page applies a
   * segment's emotion when its audio starts, where the first one stood.
   */
  markEmotion(name: string): void {
    this.emotions.push({ at: this.consumed + this.buffer.length, name });
  }

  /** The first-segment time budget ran out: release the first segment at the last word. */
  expireFirstSegmentBudget(): TextSegment[] {
    if (this.nextIndex > 0) return [];
    this.budgetExpired = true;
    this.lengthAtExpiry = this.lengthOf(this.buffer.length);
    return this.drain(false);
  }

  /** The reply is complete: release everything left. */
  flush(): TextSegment[] {
    return this.drain(true);
  }

  private drain(final: boolean): TextSegment[] {
    const out: TextSegment[] = [];
    for (;;) {
      const cut = this.findCut(final);
      if (cut === null || cut <= 0) break;
      const piece = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut);
      this.consumed += cut;
      this.bufferAtLineStart = piece.endsWith('\n');
      const spokenText = toSpokenText(piece);
      // A code block or an action alone: shown, not spoken (its tag goes to the next segment).
      if (!isSpeakable(spokenText)) continue;
      const emotion = this.takeEmotion(final && this.buffer.length === 0);
      out.push({
        index: this.nextIndex++,
        displayText: piece.trim(),
        spokenText,
        ...(emotion && { emotion }),
      });
    }
    return out;
  }

  /** The first tag before the end of what was just cut (at the very end too, when it is the last). */
  private takeEmotion(last: boolean): string | undefined {
    if (this.emotions.length === 0) return undefined;
    const inside = this.emotions.filter((e) => e.at < this.consumed || (last && e.at === this.consumed));
    if (inside.length === 0) return undefined;
    this.emotions = this.emotions.slice(inside.length);
    return inside[0]!.name;
  }

  private lengthOf(end: number): number {
    return speechLength(toSpokenText(this.buffer.slice(0, end)));
  }

  private findCut(final: boolean): number | null {
    if (this.buffer.length === 0) return null;
    const scan = this.scan(final);
    const first = this.nextIndex === 0;
    // Segments grow as audio queues up: the first is short for latency, the next ones double
    // until they reach the normal size, so the second never arrives after the first has ended.
    const minChars = Math.min(
      this.options.firstMinChars * 2 ** this.nextIndex,
      Math.max(this.options.minChars, this.options.firstMinChars),
    );
    const maxChars = first ? this.options.firstMaxChars : this.options.maxChars;

    for (const b of scan.boundaries) {
      if (b.strength === 'hard') return b.end;
      if ((first || b.strength === 'sentence') && this.lengthOf(b.end) >= minChars) return b.end;
    }
    if (final) return this.buffer.length;

    if (this.lengthOf(scan.safeEnd) >= maxChars) {
      const fits = (end: number) => end > 0 && this.lengthOf(end) <= maxChars;
      const clause = scan.boundaries.filter((b) => fits(b.end)).at(-1);
      if (clause && !first) return clause.end;
      const pause = this.bestPause(scan, maxChars);
      if (pause) return pause.end;
      return this.charCut(scan.safeEnd, maxChars);
    }

    if (first && this.budgetExpired) {
      // The budget ran out: cut where a speaker would pause. With no such place yet, wait a few
      // more words for one (or for the clause to end: "…for large | size." leaves one word).
      const pause = this.bestPause(scan, maxChars);
      const graceOver = this.lengthOf(this.buffer.length) - this.lengthAtExpiry >= BUDGET_GRACE_CHARS;
      if (pause && (pause.strength >= GOOD_PAUSE || graceOver)) return pause.end;
    }
    return null;
  }

  /**
   * The best place for a forced cut at most `maxChars` long: the strongest pause (pause-points.ts)
   * in the later half of what is there, the latest of equals, so the segment is as long as the
   * wait allows and the next one has the most time to complete. Chinese and Japanese runs are cut
   * only between words (Intl.Segmenter), never inside one.
   */
  private bestPause(scan: Scan, maxChars: number): { end: number; strength: PauseStrength } | undefined {
    const text = this.buffer;
    const candidates: { end: number; length: number; strength: PauseStrength }[] = [];
    let cjk: ReturnType<typeof cjkWordBoundaries> | undefined;
    for (const end of scan.wordBreaks) {
      if (end <= 0) continue;
      const spoken = toSpokenText(text.slice(0, end));
      const length = speechLength(spoken);
      if (length > maxChars) break;
      if (!isSpeakable(spoken)) continue;
      let strength: PauseStrength;
      if (isSpace(text[end])) {
        strength = latinPause(this.wordBefore(end), this.completeWordAfter(end));
      } else {
        cjk ??= cjkWordBoundaries(text.slice(0, scan.safeEnd), false);
        const boundary = cjk.get(end);
        if (!boundary) continue; // inside a word
        strength = cjkPause(boundary.prev, boundary.next, cjk.japanese);
      }
      candidates.push({ end, length, strength });
    }
    if (candidates.length === 0) return undefined;
    const floor = Math.max(this.options.firstMinChars, candidates.at(-1)!.length / 2);
    let best: (typeof candidates)[number] | undefined;
    for (const c of candidates) {
      if (c.length < floor) continue;
      if (!best || c.strength >= best.strength) best = c;
    }
    return best ?? candidates.at(-1);
  }

  /** The word after the whitespace at `i`, if it is complete (whitespace or punctuation follows). */
  private completeWordAfter(i: number): string | undefined {
    let start = i;
    while (start < this.buffer.length && isSpace(this.buffer[start])) start++;
    let end = start;
    while (end < this.buffer.length && !isSpace(this.buffer[end]) && !/[,.;:!?]/.test(this.buffer[end]!))
      end++;
    return end < this.buffer.length && end > start ? this.buffer.slice(start, end) : undefined;
  }

  /** No word boundary at all (one long token): cut where the length is reached. */
  private charCut(safeEnd: number, maxChars: number): number | null {
    for (let end = 1; end <= safeEnd; end++) {
      if (this.lengthOf(end) >= maxChars) return end;
    }
    return null;
  }

  /** Index just past `i` and any closing quotes/brackets/emoji that belong to the same clause. */
  private skipClosers(i: number): number {
    let j = i + 1;
    while (j < this.buffer.length) {
      const ch = String.fromCodePoint(this.buffer.codePointAt(j)!);
      if (!CLOSERS.has(ch) && !EMOJI_PART.test(ch)) break;
      j += ch.length;
    }
    return j;
  }

  private wordBefore(i: number): string {
    let start = i;
    while (start > 0 && !isSpace(this.buffer[start - 1]) && !CLOSERS.has(this.buffer[start - 1]!)) start--;
    return this.buffer.slice(start, i);
  }

  private onlySpaceBeforeOnLine(i: number): boolean {
    for (let k = i - 1; k >= 0; k--) {
      const c = this.buffer[k]!;
      if (c === '\n') return true;
      if (!isSpace(c)) return false;
    }
    return this.bufferAtLineStart;
  }

  /** Classifies the ASCII period at i (known to be followed by whitespace or closers). */
  private periodEndsSentence(i: number): boolean {
    const word = this.wordBefore(i);
    const bare = word.replace(/^[("'“‘]+/, '');
    if (ABBREVIATIONS.has(bare.toLowerCase())) return false;
    if (/^\p{Lu}$/u.test(bare)) return false; // an initial: J. R. R. Tolkien
    if (/^(\p{L}\.)+\p{L}$/u.test(bare)) return false; // e.g  i.e  U.S
    if (/^\d+$/.test(bare) && this.onlySpaceBeforeOnLine(i - bare.length)) return false; // "1. " list marker
    return true;
  }

  private scan(final: boolean): Scan {
    const text = this.buffer;
    const boundaries: Boundary[] = [];
    const wordBreaks: number[] = [];
    let inFence = false;
    let fenceStart = 0;
    let inCode = false;
    let codeStart = 0;
    let inAction = false;
    let actionStart = 0;
    let inUrl = false;
    let urlStart = 0;

    const add = (end: number, strength: Strength, confirmed: boolean) => {
      if (confirmed || final) boundaries.push({ end, strength });
    };

    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const prev = i > 0 ? text[i - 1] : undefined;
      const next = i + 1 < text.length ? text[i + 1] : undefined;
      const lineStart = i === 0 ? this.bufferAtLineStart : prev === '\n';

      if (lineStart && text.startsWith('```', i)) {
        if (!inFence) {
          inFence = true;
          fenceStart = i;
          if (i > 0) boundaries.push({ end: i, strength: 'hard' });
        } else {
          const eol = text.indexOf('\n', i);
          if (eol < 0 && !final) return { boundaries, wordBreaks, safeEnd: fenceStart };
          inFence = false;
          boundaries.push({ end: eol < 0 ? text.length : eol + 1, strength: 'hard' });
          i = eol < 0 ? text.length : eol;
        }
        continue;
      }
      if (inFence) continue;

      if (inUrl) {
        if (!isSpace(c)) continue;
        inUrl = false;
        // "see example.com. Next" / "at example.com, or" — the URL's last character is punctuation.
        if (prev === '.' || prev === '!' || prev === '?') add(i, 'sentence', true);
        else if (prev === ',' || prev === ';' || prev === ':') add(i, 'clause', true);
      } else if (
        (prev === undefined || isSpace(prev) || prev === '(') &&
        /^(https?:\/\/|www\.)/i.test(text.slice(i, i + 8))
      ) {
        inUrl = true;
        urlStart = i;
        continue;
      }

      if (c === '`') {
        inCode = !inCode;
        codeStart = i;
        continue;
      }
      if (inCode) continue;

      if (c === '*' && prev !== '*' && next !== '*') {
        const bullet = (lineStart || this.onlySpaceBeforeOnLine(i)) && isSpace(next);
        if (inAction) inAction = false;
        else if (!bullet && !isSpace(next)) {
          inAction = true;
          actionStart = i;
        }
        continue;
      }
      if (c === '\n') inAction = false;
      if (inAction) continue;

      if (isSpace(c)) {
        if (i > 0) wordBreaks.push(i);
      } else if (WIDE.test(c)) {
        wordBreaks.push(i + 1);
      }

      if (c === '\n') {
        add(i + 1, 'sentence', true);
      } else if (CJK_CLAUSE.has(c)) {
        add(this.skipClosers(i), 'clause', true);
      } else if (CJK_SENTENCE.has(c)) {
        if (next !== undefined && CJK_SENTENCE.has(next)) continue;
        const end = this.skipClosers(i);
        add(end, 'sentence', end < text.length);
      } else if (c === ',' || c === ';') {
        if (isDigit(prev)) {
          if (next === undefined) add(i + 1, 'clause', false);
          else if (!isDigit(next)) add(i + 1, 'clause', true);
        } else {
          add(i + 1, 'clause', true);
        }
      } else if (c === ':') {
        if (next === undefined) add(i + 1, 'clause', false);
        else if (isSpace(next)) add(i + 1, 'clause', true);
      } else if (c === '—' || c === '–') {
        add(i + 1, 'clause', true);
      } else if (c === '-' && prev === ' ' && next === ' ' && !this.onlySpaceBeforeOnLine(i)) {
        add(i + 1, 'clause', true);
      } else if (c === '…') {
        if (next === '…') continue;
        const end = this.skipClosers(i);
        add(end, 'clause', end < text.length);
      } else if (c === '.' || c === '!' || c === '?') {
        if (next === '.' || next === '!' || next === '?') continue;
        const end = this.skipClosers(i);
        if (end >= text.length) {
          add(end, c === '.' && prev === '.' ? 'clause' : 'sentence', false);
          continue;
        }
        if (!isSpace(text[end])) continue; // 3.14, example.com, "e.g" inside a word
        if (c === '.' && prev === '.')
          add(end, 'clause', true); // an ellipsis "..." pauses, it does not end
        else if (c !== '.' || this.periodEndsSentence(i)) add(end, 'sentence', true);
      }
    }

    let safeEnd = text.length;
    if (inFence) safeEnd = Math.min(safeEnd, fenceStart);
    if (inCode) safeEnd = Math.min(safeEnd, codeStart);
    if (inAction) safeEnd = Math.min(safeEnd, actionStart);
    if (inUrl && !final) safeEnd = Math.min(safeEnd, urlStart);
    return {
      boundaries: boundaries.filter((b) => b.end <= safeEnd && b.end > 0),
      wordBreaks: wordBreaks.filter((w) => w <= safeEnd),
      safeEnd,
    };
  }
}
