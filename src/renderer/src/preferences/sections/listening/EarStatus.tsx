import { useEffect, useState } from 'react';
import type { PreferencesBridge } from '../../../../../shared/preferences-api';
import type { EarState, VoiceStatus } from '../../../../../shared/voice-input';

const STATE_WORDS: Record<EarState, string> = {
  off: 'Not listening',
  listening: 'Listening',
  hearing: 'Hearing you',
  thinking: 'Thinking',
  unavailable: 'Microphone unavailable',
};

/**
 * What the overlay's ear reports (Preferences has no microphone of its own): the latest status,
 * then each new one while this section is open.
 */
export function useEarStatus(bridge: PreferencesBridge): VoiceStatus | null {
  const [status, setStatus] = useState<VoiceStatus | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.getVoiceStatus().then((first) => {
      if (live && first) setStatus((current) => current ?? first);
    });
    const off = bridge.onVoiceStatus((next) => setStatus(next));
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return status;
}

/** The ear's state in words and the input level, as a meter. */
export function EarStatusView({ status }: { status: VoiceStatus | null }) {
  if (!status)
    return (
      <p className="hint" data-ear-state="none">
        The overlay has not reported its microphone yet (it does once listening is on).
      </p>
    );
  return (
    <div className="field" data-ear-state={status.state}>
      <label htmlFor="ear-level">Input level — {STATE_WORDS[status.state]}</label>
      <meter id="ear-level" min={0} max={1} low={0.05} high={0.8} optimum={0.3} value={status.level}>
        {Math.round(status.level * 100)}%
      </meter>
      {status.problem && (
        <p role="alert" className="field-error">
          {status.problem}
        </p>
      )}
      <p className="hint">
        Speak: the bar should move. It is measured by the overlay, where the microphone is.
      </p>
    </div>
  );
}
