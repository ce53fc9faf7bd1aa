/**
 * Takes emotion tags ("[joy]") out of the streamed reply, whichever way the tokens split them
 * ("[jo" + "y]"), and says where each one was. Tags are never spoken or shown; the avatar takes
 * the expression when the segment that carried the tag is heard.
 *
 * What counts as what:
 * - `[joy]`, `[Joy]`, `[ joy ]`, `[[joy]]`, with a configured name: the tag (lowercased).
 * - `[foo]`, any other single word of 2–24 ASCII letters ("-", "_"): a tag the model made up;
 *   dropped, so the voice does not say "foo". Except `[Kiyo](https://…)`: a link, left as text.
 * - `[1]`, `[citation needed]`, `[]`, `[x]`, `[笑]`: not tag-shaped; left as text.
 * - An unclosed `[joy` whose word is a configured name ("[joy Hehe…", "[joy" at the end): a
 *   broken tag, dropped; any other unclosed bracket is text.
 * Text is held back only while a bracket is open and still tag-shaped (a few characters), so a
 * reply without brackets passes straight through.
 */

export type TagPiece = { text: string } | { emotion: string };

/** A word that could be a tag: a made-up one is dropped, a configured one is used. */
const TAG_WORD = /^[a-z][a-z_-]{1,23}$/i;
const TAG_CHAR = /[a-z_-]/i;
/** Longest bracket held back while deciding: "[" + padding + a 24-letter word + padding. */
const MAX_PENDING = 32;
const LATIN_WORD_START = /^[\p{Script=Latin}\p{N}]/u;

export class EmotionTagFilter {
  private readonly known: ReadonlySet<string>;
  /** The open bracket being read ("[jo"), not yet text nor tag. */
  private pending = '';
  /** Opening brackets before the word: "[[joy]]" swallows as many closers. */
  private depth = 0;
  private closersToSwallow = 0;
  /** "[joy [sad]]": the broken outer tag's closer comes after the inner one. */
  private outerClosers = 0;
  /** A made-up tag, closed, waiting for the next character: "(" makes it a link. */
  private madeUp: { raw: string; depth: number } | undefined;
  /** After a removed tag where a space already separates: the next space is one too many. */
  private dropSpace = false;
  /** After a removed tag that stood between "friend!" and "But": they need a space. */
  private needSpace = false;
  private lastOut = '';
  private out: TagPiece[] = [];
  private text = '';
  /** Tags dropped as made up or broken, for the log. */
  readonly dropped: string[] = [];

  constructor(names: readonly string[]) {
    this.known = new Set(names.map((n) => n.toLowerCase()));
  }

  push(delta: string): TagPiece[] {
    if (!this.pending && !this.madeUp && !this.closersToSwallow && !delta.includes('[')) {
      // The common case: no bracket anywhere near.
      this.emitText(delta);
    } else {
      for (const c of delta) this.read(c);
    }
    return this.take();
  }

  /** The reply is complete: an open bracket is resolved as it stands. */
  flush(): TagPiece[] {
    if (this.madeUp) this.dropMadeUp();
    if (this.pending) {
      const word = this.pending.replace(/^\[+/, '').trim().toLowerCase();
      // "[joy" or "[jo" cut off at the end (the reply cap, a dropped stream): a broken tag.
      const broken = word.length > 0 && [...this.known].some((name) => name.startsWith(word));
      if (broken) this.dropPending();
      else this.emitText(this.pending);
      this.pending = '';
    }
    return this.take();
  }

  private take(): TagPiece[] {
    if (this.text) this.out.push({ text: this.text });
    this.text = '';
    const out = this.out;
    this.out = [];
    return out;
  }

  private read(c: string): void {
    if (this.madeUp) {
      if (c === '(') {
        this.emitText(this.madeUp.raw); // [Kiyo](https://…): a markdown link
        this.madeUp = undefined;
      } else this.dropMadeUp();
    }
    if (this.closersToSwallow > 0) {
      if (c === ']') {
        this.closersToSwallow--;
        return;
      }
      this.closersToSwallow = 0;
    }
    if (!this.pending) {
      if (c === '[') {
        this.pending = c;
        this.depth = 1;
      } else this.emitText(c);
      return;
    }
    const inner = this.pending.slice(this.depth);
    if (c === '[' && inner === '' && this.pending.length < MAX_PENDING) {
      this.pending += c;
      this.depth++;
    } else if (c === ']') {
      this.close(inner);
    } else if (this.fitsTag(inner, c)) {
      this.pending += c;
    } else {
      if (this.abort(inner) && c === '[') this.outerClosers++;
      this.read(c);
    }
  }

  /** Whether `c` can continue `[ word ` towards a tag: padding, then letters, then padding. */
  private fitsTag(inner: string, c: string): boolean {
    if (this.pending.length >= MAX_PENDING) return false;
    if (c === ' ') return true;
    if (!TAG_CHAR.test(c)) return false;
    return !/\S\s+$/.test(inner); // no second word
  }

  private close(inner: string): void {
    const word = inner.trim();
    const raw = `${this.pending}]`;
    const depth = this.depth;
    this.pending = '';
    if (!TAG_WORD.test(word)) {
      this.emitText(raw);
      return;
    }
    const name = word.toLowerCase();
    if (this.known.has(name)) {
      this.removed();
      this.out.push(...this.flushText(), { emotion: name });
      this.closersToSwallow = depth - 1 + this.outerClosers;
      this.outerClosers = 0;
    } else {
      this.madeUp = { raw, depth };
    }
  }

  /** The bracket stopped looking like a tag; true when it was dropped as a broken one. */
  private abort(inner: string): boolean {
    const broken = this.known.has(inner.trim().toLowerCase()); // "[joy Hehe"
    if (broken) this.dropPending();
    else this.emitText(this.pending);
    this.pending = '';
    return broken;
  }

  private dropMadeUp(): void {
    this.dropped.push(this.madeUp!.raw);
    this.closersToSwallow = this.madeUp!.depth - 1 + this.outerClosers;
    this.outerClosers = 0;
    this.madeUp = undefined;
    this.removed();
  }

  private dropPending(): void {
    this.dropped.push(this.pending);
    this.removed();
  }

  private removed(): void {
    if (this.lastOut === '' || /\s/.test(this.lastOut)) this.dropSpace = true;
    else if (/[.!?,;:…]/.test(this.lastOut)) this.needSpace = true;
  }

  private flushText(): TagPiece[] {
    if (!this.text) return [];
    const piece = { text: this.text };
    this.text = '';
    return [piece];
  }

  private emitText(s: string): void {
    if (s === '') return;
    if (this.needSpace) {
      this.needSpace = false;
      if (LATIN_WORD_START.test(s)) s = ` ${s}`;
    }
    if (this.dropSpace) {
      this.dropSpace = false;
      if (s[0] === ' ' || s[0] === '\t') s = s.slice(1);
      if (s === '') return;
    }
    this.text += s;
    this.lastOut = s.at(-1)!;
  }
}
