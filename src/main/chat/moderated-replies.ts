import type { ChatMessage } from '../pipeline/history';
import type { StreamingLlm } from '../pipeline/conversation';
import { ReplyModeration } from './reply-moderation';
import { isViewerMessage } from './viewer-framing';

/**
 * Moderation of Kiyo's answers to chat, before anything is shown or spoken: the LLM's stream is
 * filtered as it arrives, so the segmenter, the voice, the subtitles, the history and a post in
 * chat all get the cleaned text. Only answers to a viewer's message (recognised by its framing)
 * are filtered; the streamer's own conversation is theirs.
 */
export function moderatedReplies(llm: StreamingLlm, blocklist: () => string | undefined): StreamingLlm {
  return {
    async *stream(settings, messages, signal) {
      const list = blocklist();
      const last = messages.at(-1);
      if (list === undefined || !last || last.role !== 'user' || !isViewerMessage(last.content)) {
        yield* llm.stream(settings, messages, signal);
        return;
      }
      const redactor = new StreamingRedactor(list);
      for await (const delta of llm.stream(settings, messages as ChatMessage[], signal)) {
        const clean = redactor.push(delta);
        if (clean) yield clean;
      }
      const rest = redactor.flush();
      if (rest) yield rest;
    },
  };
}

/** Words of a reply held back before release, beyond the longest blocklisted phrase. */
const SPARE_WORDS = 2;

/**
 * Cleans a reply that arrives in pieces. A blocked phrase or a link may be split across pieces, so
 * the complete words are cleaned together each time, and the last few (as many as the longest
 * blocked phrase has, plus spare, and the word still being written) are held back until more
 * text shows what they are. A phrase can then only start inside the held-back tail, never in
 * text already released.
 */
export class StreamingRedactor {
  private pending = '';
  private readonly holdWords: number;
  private readonly moderation = new ReplyModeration();

  constructor(private readonly blocklist: string) {
    const longest = Math.max(
      0,
      ...blocklist.split(/\r?\n/).map((line) => line.trim().split(/\s+/).filter(Boolean).length),
    );
    this.holdWords = longest + SPARE_WORDS;
  }

  push(delta: string): string {
    this.pending += delta;
    // Clean every complete word now (a phrase straddling the cut below is whole here); the
    // word still being written may be the start of a link, so it waits.
    const lastGap = [...this.pending.matchAll(/\s+/g)].at(-1);
    if (!lastGap || lastGap.index === undefined) return '';
    const complete = lastGap.index + lastGap[0].length;
    this.pending = this.clean(this.pending.slice(0, complete)) + this.pending.slice(complete);
    // Release all but the last `holdWords` words: a blocked phrase not yet complete starts there.
    const cutGap = [...this.pending.matchAll(/\s+/g)].at(-this.holdWords);
    if (!cutGap || cutGap.index === undefined) return '';
    const cut = cutGap.index + cutGap[0].length;
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return ready;
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.clean(rest);
  }

  /** Keeps the piece's outer whitespace: the next piece continues after it. */
  private clean(text: string): string {
    const lead = /^\s*/.exec(text)![0];
    const trail = /\s*$/.exec(text)![0];
    const body = text.trim();
    return body ? `${lead}${this.moderation.clean(body, this.blocklist)}${trail}` : text;
  }
}
