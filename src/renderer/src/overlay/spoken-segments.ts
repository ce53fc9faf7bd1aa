import type { PipelineEvent, WordTiming } from '../../../shared/pipeline-events';
import type { AudibleSegment } from '../avatar/expressions';
import { locateWords, wordAt, type WordSpan } from './word-highlight';

/** What the subtitle shows this frame: the segment being heard and, with word timing, its word. */
export interface SubtitleView {
  text: string;
  /**
   * Every timed word found in the text (the same array while the segment plays), so the subtitle
   * keeps one element per word and only moves the highlight: the text a screen reader's live
   * region sees does not change word by word.
   */
  spans?: readonly WordSpan[];
  word?: WordSpan;
}

interface Segment {
  displayText: string;
  emotion?: string;
  words: WordTiming[];
  spans: (WordSpan | undefined)[];
  located: WordSpan[];
}

/** The part of the StreamPlayer the subtitles follow (its clock and what it is playing). */
export interface PlaybackClock {
  readonly currentTurn: string | undefined;
  currentSegment(): number | undefined;
  segmentStart(index: number): number | undefined;
  readonly context: { readonly currentTime: number };
}

export const NO_SUBTITLE: SubtitleView = Object.freeze({ text: '' });

/**
 * The current turn's segments as the page received them (text, emotion, word timing), read each
 * frame against the audio clock: which segment is audible, and which of its words is being
 * spoken (the segment's first sample on the AudioContext clock + the word's offset). A segment
 * without word timing is shown whole, as before.
 */
export class SpokenSegments {
  private turnId: string | undefined;
  private readonly segments = new Map<number, Segment>();

  onEvent(event: PipelineEvent): void {
    switch (event.type) {
      case 'turn-start':
        this.turnId = event.turnId;
        this.segments.clear();
        break;
      case 'segment':
        if (event.turnId !== this.turnId) return;
        this.segments.set(event.index, {
          displayText: event.displayText,
          ...(event.emotion && { emotion: event.emotion }),
          words: [],
          spans: [],
          located: [],
        });
        break;
      case 'words': {
        const segment = event.turnId === this.turnId ? this.segments.get(event.segmentIndex) : undefined;
        if (!segment) return;
        segment.words = [...segment.words, ...event.words];
        segment.spans = locateWords(segment.displayText, segment.words);
        segment.located = segment.spans.filter((span) => span !== undefined);
        break;
      }
      default:
        break;
    }
  }

  /** The segment audible now, with its emotion (undefined in silence or for another turn's audio). */
  audible(player: PlaybackClock): AudibleSegment | undefined {
    const index = player.currentSegment();
    if (index === undefined || player.currentTurn !== this.turnId || this.turnId === undefined)
      return undefined;
    const emotion = this.segments.get(index)?.emotion;
    return { turnId: this.turnId, segmentIndex: index, ...(emotion && { emotion }) };
  }

  subtitle(player: PlaybackClock): SubtitleView {
    const audible = this.audible(player);
    const segment = audible && this.segments.get(audible.segmentIndex);
    if (!audible || !segment) return NO_SUBTITLE;
    const start = player.segmentStart(audible.segmentIndex);
    if (start === undefined || segment.words.length === 0) return { text: segment.displayText };
    const index = wordAt(segment.words, (player.context.currentTime - start) * 1000);
    const span = index >= 0 ? segment.spans[index] : undefined;
    const spans = segment.located;
    return span ? { text: segment.displayText, spans, word: span } : { text: segment.displayText, spans };
  }
}

export function sameSubtitle(a: SubtitleView, b: SubtitleView): boolean {
  return (
    a.text === b.text && a.spans === b.spans && a.word?.start === b.word?.start && a.word?.end === b.word?.end
  );
}
