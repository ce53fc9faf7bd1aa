import { useEffect, useRef, useState, type RefObject } from 'react';
import type { KiyoBridge } from '../../../shared/ipc';
import { Ear, hasEar, type EarDebug, type EarPlayer, type EarView } from './ear';
import './ear.css';

declare global {
  interface Window {
    /** Read-only numbers about the ear, for tests and the devtools console. */
    __kiyoEar?: Readonly<EarDebug & { state: EarView['state'] }>;
  }
}

const OFF: EarView = { state: 'off', problem: '', canRetry: false, heard: '' };

/**
 * The overlay's ear, on the desktop page only (the bridge has the ear's methods there; the OBS
 * page's bridge has none, so it never touches the microphone). Call after the effect that
 * creates the player: effects run in order, so the player exists when this one starts.
 */
export function useEar(bridge: KiyoBridge, player: RefObject<EarPlayer | null>) {
  const [view, setView] = useState<EarView>(OFF);
  const earRef = useRef<Ear | null>(null);
  useEffect(() => {
    if (!hasEar(bridge) || !player.current) return;
    let state: EarView['state'] = 'off';
    const ear = new Ear(bridge, player.current, (next) => {
      state = next.state;
      setView(next);
    });
    earRef.current = ear;
    Object.defineProperty(window, '__kiyoEar', {
      configurable: true,
      get: () => Object.freeze({ ...ear.debug, sent: [...ear.debug.sent], state }),
    });
    ear.start();
    return () => {
      ear.stop();
      earRef.current = null;
    };
  }, [bridge, player]);
  return { view, retry: () => earRef.current?.retry() };
}

const LABELS: Record<EarView['state'], string> = {
  off: '',
  listening: 'Listening',
  hearing: 'Hearing you',
  thinking: 'Thinking',
  unavailable: '',
};

/**
 * The small listening / hearing you / thinking badge; nothing for 'off' and 'unavailable'. The
 * desktop overlay shows it, and the OBS page too when the user asks for it (use-stream-ear.ts).
 */
export function EarStateBadge({ state }: { state: EarView['state'] }) {
  if (!LABELS[state]) return null;
  return (
    <p className={`ear-state ear-${state}`} role="status" data-testid="ear-state">
      <span className="ear-dot" aria-hidden="true" />
      {LABELS[state]}
    </p>
  );
}

/** The small state on the desktop overlay, the microphone's problem, and Retry after a failed transcription. */
export function EarIndicator({ view, retry }: { view: EarView; retry: () => void }) {
  return (
    <>
      <EarStateBadge state={view.state} />
      {view.heard && (
        <p className="ear-heard" data-testid="ear-heard">
          <span className="ear-you">You:</span> {view.heard}
        </p>
      )}
      {view.problem && (
        <p className="ear-problem" role="alert" data-testid="ear-problem">
          {view.problem}
        </p>
      )}
      {view.canRetry && (
        <button className="ear-retry" onClick={retry} data-testid="ear-retry">
          Retry what I said
        </button>
      )}
    </>
  );
}
