import { Fragment, type ReactNode } from 'react';
import type { WordSpan } from './word-highlight';
import type { SubtitleView } from './spoken-segments';

/**
 * The sentence being spoken; with word timing, one element per word and the one being spoken
 * marked by a class: the highlight moves without the text changing, so a screen reader's live
 * region reads the sentence once, not again at every word.
 */
export function Subtitle({ view }: { view: SubtitleView }) {
  const { text, spans, word } = view;
  return (
    <p className="subtitle" aria-live="polite" data-testid="subtitle">
      {spans && spans.length > 0 ? pieces(text, spans, word) : text}
    </p>
  );
}

function pieces(text: string, spans: readonly WordSpan[], word: WordSpan | undefined): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  spans.forEach((span, i) => {
    if (span.start > at) out.push(<Fragment key={`t${i}`}>{text.slice(at, span.start)}</Fragment>);
    const lit = word?.start === span.start;
    out.push(
      <span
        key={`w${i}`}
        className={lit ? 'spoken-word' : undefined}
        data-testid={lit ? 'spoken-word' : undefined}
      >
        {text.slice(span.start, span.end)}
      </span>,
    );
    at = span.end;
  });
  if (at < text.length) out.push(<Fragment key="end">{text.slice(at)}</Fragment>);
  return out;
}
