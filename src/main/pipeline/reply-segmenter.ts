import { emotionNames } from '../../shared/emotion-tags';
import type { PipelineSettings, StreamingSettings } from '../../shared/settings';
import { EmotionTagFilter } from './emotion-tags';
import { Segmenter, type TextSegment } from './segmenter';
import { isSpeakable, toSpokenText } from './spoken-text';

/**
 * The reply's text path, from LLM deltas to speakable segments: emotion tags come out first
 * (emotion-tags.ts), so no segment is cut through one and no tag reaches the voice, the
 * subtitles or the reply text; each segment carries the tag that stood in it. A turn, the
 * benchmark and the tests all go through this one path.
 *
 * In traditional mode (streaming off) the whole reply is one segment, released by flush().
 */
export class ReplySegmenter {
  private readonly segmenter: Segmenter | undefined;
  private readonly tags: EmotionTagFilter | undefined;
  /** Traditional mode: the display text so far, and the first tag. */
  private whole = '';
  private wholeEmotion: string | undefined;
  private tagged = '';

  constructor(
    streaming: Pick<
      StreamingSettings,
      'enabled' | 'firstSegmentMinChars' | 'firstSegmentMaxChars' | 'segmentMinChars' | 'segmentMaxChars'
    >,
    character: Pick<PipelineSettings['character'], 'emotionTags'>,
  ) {
    const names = emotionNames(character.emotionTags);
    if (names.length > 0) this.tags = new EmotionTagFilter(names);
    if (streaming.enabled)
      this.segmenter = new Segmenter({
        firstMinChars: streaming.firstSegmentMinChars,
        firstMaxChars: streaming.firstSegmentMaxChars,
        minChars: streaming.segmentMinChars,
        maxChars: streaming.segmentMaxChars,
      });
  }

  /** `text`: the delta as shown (tags taken out; may be '' while a bracket is undecided). */
  push(delta: string): { text: string; segments: TextSegment[] } {
    return this.take(this.tags ? this.tags.push(delta) : [{ text: delta }], false);
  }

  /** The first segment's time budget ran out (see Segmenter). */
  expireFirstSegmentBudget(): TextSegment[] {
    return this.segmenter?.expireFirstSegmentBudget() ?? [];
  }

  /** The reply is complete: everything left, as text and segments. */
  flush(): { text: string; segments: TextSegment[] } {
    return this.take(this.tags ? this.tags.flush() : [], true);
  }

  /**
   * The reply as the history keeps it: the display text with its tags, as "[joy] …". The model
   * sees that it tagged its earlier replies and keeps doing it (a history of untagged replies
   * teaches it to stop); only configured tags are kept, so it never sees a made-up one work.
   */
  get historyText(): string {
    return this.tagged.trim();
  }

  /** Tags taken out as made up or broken ("[foo]", "[joy Hehe"), for the log. */
  get droppedTags(): readonly string[] {
    return this.tags?.dropped ?? [];
  }

  private take(pieces: ReturnType<EmotionTagFilter['push']>, final: boolean) {
    let text = '';
    const segments: TextSegment[] = [];
    for (const piece of pieces) {
      if ('emotion' in piece) {
        this.tagged += `${/^$|\s$/.test(this.tagged) ? '' : ' '}[${piece.emotion}] `;
        if (this.segmenter) this.segmenter.markEmotion(piece.emotion);
        else this.wholeEmotion ??= piece.emotion;
        continue;
      }
      text += piece.text;
      this.tagged += /\s$/.test(this.tagged) ? piece.text.replace(/^[ \t]+/, '') : piece.text;
      if (this.segmenter) segments.push(...this.segmenter.push(piece.text));
      else this.whole += piece.text;
    }
    if (final) {
      if (this.segmenter) segments.push(...this.segmenter.flush());
      else {
        const spokenText = toSpokenText(this.whole);
        if (isSpeakable(spokenText))
          segments.push({
            index: 0,
            displayText: this.whole.trim(),
            spokenText,
            ...(this.wholeEmotion && { emotion: this.wholeEmotion }),
          });
      }
    }
    return { text, segments };
  }
}

/** Segments as the history keeps them (an interrupted reply): each with its tag, as historyText. */
export function rememberedText(segments: readonly TextSegment[]): string {
  return segments.map((s) => (s.emotion ? `[${s.emotion}] ${s.displayText}` : s.displayText)).join(' ');
}
