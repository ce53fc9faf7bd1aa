import { useEffect, useRef, useState } from 'react';
import type { KiyoBridge } from '../../../shared/ipc';
import './chat-question.css';

/** Gap between the question and the top of the subtitles, in px. */
const GAP = 8;
/** Where the subtitles sit (overlay.css `.subtitle { bottom }`), in px. */
const SUBTITLE_BOTTOM = 56;
/** How often, after the answer's turn has ended, the page checks whether its audio has finished. */
const PLAYBACK_CHECK_MS = 200;

/**
 * The viewer's question Kiyo is answering, "@name: message", shown above her subtitles on the
 * desktop overlay and the OBS page from the turn's start until the answer has been heard: the
 * turn ends in main while its audio still plays here, so after turn-end it waits for `playing()`
 * to turn false. Another turn hides it at once. The text is the moderated one main put on the
 * turn (links replaced).
 */
export function ChatQuestion({ bridge, playing }: { bridge: KiyoBridge; playing: () => boolean }) {
  const [question, setQuestion] = useState<
    { turnId: string; viewer: string; text: string; ended?: boolean } | undefined
  >();
  const [bottom, setBottom] = useState(SUBTITLE_BOTTOM);
  const ref = useRef<HTMLParagraphElement>(null);

  useEffect(
    () =>
      bridge.onEvent((event) => {
        if (event.type === 'turn-start') {
          const source = event.source;
          setQuestion(
            source?.kind === 'chat'
              ? { turnId: event.turnId, viewer: source.viewer, text: source.text }
              : undefined,
          );
        } else if (event.type === 'turn-end') {
          setQuestion((shown) => (shown?.turnId === event.turnId ? { ...shown, ended: true } : shown));
        }
      }),
    [bridge],
  );

  // The turn is over in main: hide once its audio has finished playing here.
  const playingRef = useRef(playing);
  playingRef.current = playing;
  useEffect(() => {
    if (!question?.ended) return;
    const check = () => {
      if (!playingRef.current()) setQuestion((shown) => (shown === question ? undefined : shown));
    };
    check();
    const timer = setInterval(check, PLAYBACK_CHECK_MS);
    return () => clearInterval(timer);
  }, [question]);

  // Stays just above the subtitles, however many lines they take.
  useEffect(() => {
    if (!question) return;
    const root = ref.current?.parentElement;
    if (!root) return;
    const place = () => {
      const subtitle = root.querySelector<HTMLElement>('[data-testid="subtitle"]');
      setBottom(subtitle ? SUBTITLE_BOTTOM + subtitle.offsetHeight + GAP : SUBTITLE_BOTTOM);
    };
    place();
    const observer = new MutationObserver(place);
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [question]);

  if (!question) return null;
  return (
    <p ref={ref} className="chat-question" data-testid="chat-question" style={{ bottom }}>
      <span className="chat-question-viewer">@{question.viewer}:</span> {question.text}
    </p>
  );
}
