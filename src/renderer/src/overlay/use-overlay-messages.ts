import { useEffect, useState } from 'react';
import type { KiyoBridge } from '../../../shared/ipc';
import { STREAM_STATUS } from '../../../shared/plain-messages';

/** How long a passing note ("voice is back", "nothing to say aloud", a stream status) stays. */
const PASSING_MS = 6000;

export interface OverlayMessages {
  /** Desktop only: the last turn's error, in the short words main sent. */
  error: string;
  /** Desktop only: notes such as the offline voice being in use, or a reply with nothing to say. */
  notices: string[];
  /** Stream only: a short, friendly status (shown when the user turned it on). */
  status: string;
  /** Desktop only: a problem the page itself ran into. */
  showError(message: string): void;
}

/**
 * What the overlay tells about problems, by page: the desktop window shows main's short plain
 * sentences; the stream page keeps none of them and only picks a fixed friendly status by code,
 * so no error text can reach an audience even if a message were technical.
 */
export function useOverlayMessages(bridge: KiyoBridge): OverlayMessages {
  const stream = bridge.kind === 'stream';
  const [error, setError] = useState('');
  const [voiceNotice, setVoiceNotice] = useState('');
  const [replyNote, setReplyNote] = useState('');
  const [status, setStatus] = useState('');

  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const later = (action: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        action();
      }, PASSING_MS);
      timers.add(timer);
    };
    const off = bridge.onEvent((event) => {
      if (stream) {
        if (event.type !== 'error' && event.type !== 'notice') return;
        const text = STREAM_STATUS[event.code];
        if (!text) return;
        setStatus(text);
        later(() => setStatus((shown) => (shown === text ? '' : shown)));
        return;
      }
      switch (event.type) {
        case 'turn-start':
          setError('');
          setReplyNote('');
          break;
        case 'error':
          setError(event.message);
          break;
        case 'notice':
          // About this reply (nothing to say aloud, cut at the length cap): passes with it.
          if (event.code !== 'tts-offline' && event.code !== 'tts-online') {
            setReplyNote(event.message);
            later(() => setReplyNote((shown) => (shown === event.message ? '' : shown)));
          } else {
            // The offline-voice note stays while it is true; "back" fades after a while.
            setVoiceNotice(event.message);
            if (event.code === 'tts-online')
              later(() => setVoiceNotice((shown) => (shown === event.message ? '' : shown)));
          }
          break;
        default:
          break;
      }
    });
    return () => {
      off();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [bridge, stream]);

  return {
    error,
    notices: [voiceNotice, replyNote].filter(Boolean),
    status,
    showError: (message) => {
      if (!stream) setError(message);
    },
  };
}
