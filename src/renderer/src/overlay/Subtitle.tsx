import type { SubtitleView } from './spoken-segments';

/** The sentence being spoken; with word timing, the word being spoken is marked. */
export function Subtitle({ view }: { view: SubtitleView }) {
  const { text, word } = view;
  return (
    <p className="subtitle" aria-live="polite" data-testid="subtitle">
      {word ? (
        <>
          {text.slice(0, word.start)}
          <mark className="spoken-word" data-testid="spoken-word">
            {text.slice(word.start, word.end)}
          </mark>
          {text.slice(word.end)}
        </>
      ) : (
        text
      )}
    </p>
  );
}
