import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { DEFAULT_OVERLAY_STATE, type KiyoBridge, type OverlayState } from '../../../shared/ipc';
import { nextMouthOpen } from '../audio/lip-sync';
import { StreamPlayer, type FirstSample } from '../audio/stream-player';
import { FrameClock } from '../avatar/frame-clock';
import { DEFAULT_MODEL_URL, Live2DAvatar } from '../avatar/live2d-avatar';
import { pauseWhenHidden } from '../avatar/pause-when-hidden';

/** Where main (Electron) and the browser-mode server serve the user's model folder. */
const CUSTOM_MODEL_PATH = 'custom-model/';
import { exposeDebug } from './debug-hook';
import './overlay.css';

/**
 * The overlay: the avatar on a transparent background, subtitles for the sentence being spoken,
 * a small chat input, and errors in plain words. Talks only to the bridge.
 */
export function Overlay({ bridge }: { bridge: KiyoBridge }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const playerRef = useRef<StreamPlayer | null>(null);
  const avatarRef = useRef<Live2DAvatar | null>(null);
  const segmentsRef = useRef(new Map<number, string>());
  // A ref, not a local: it must survive re-renders, or every move would re-send the same state.
  const overAvatarRef = useRef(false);
  const [state, setState] = useState<OverlayState>(DEFAULT_OVERLAY_STATE);
  const [subtitle, setSubtitle] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [input, setInput] = useState('');
  const [needsGesture, setNeedsGesture] = useState(false);

  useEffect(() => {
    const reports: FirstSample[] = [];
    const player = new StreamPlayer({
      onFirstSample: (report) => {
        reports.push(report);
        bridge.reportPlaybackStarted(report);
      },
      onInterrupted: (report) => bridge.reportPlaybackStopped(report),
    });
    playerRef.current = player;
    const avatar = new Live2DAvatar(canvasRef.current!, { renderScale: DEFAULT_OVERLAY_STATE.renderScale });
    avatarRef.current = avatar;

    // Lip sync, subtitles and the avatar share one loop at the frame-rate cap, paused while nobody
    // can see the page. Both step by elapsed time, so a lower cap is never a slower mouth. Audio is
    // not on it: it plays from the events below the moment they arrive.
    const clock = new FrameClock(DEFAULT_OVERLAY_STATE.frameRateCap);
    let mouth = 0;
    let shown = '';
    clock.add((_now, dtMs) => {
      const playing = player.activeSources > 0;
      mouth = playing ? nextMouthOpen(mouth, player.level(), dtMs) : 0;
      avatar.setMouthOpen(mouth);
      const index = player.currentSegment();
      const text = index === undefined ? '' : (segmentsRef.current.get(index) ?? '');
      if (text !== shown) {
        shown = text;
        setSubtitle(text);
      }
      setNeedsGesture(player.suspended);
      avatar.draw(dtMs);
    });
    const stopPausing = pauseWhenHidden(clock, bridge);
    clock.start();
    exposeDebug({ player, avatar, clock, mouth: () => mouth, subtitle: () => shown, reports });

    const offEvents = bridge.onEvent((event) => {
      switch (event.type) {
        case 'turn-start':
          player.stop();
          segmentsRef.current.clear();
          setError('');
          if (Math.random() < 0.3) avatar.randomExpression();
          break;
        case 'segment':
          segmentsRef.current.set(event.index, event.displayText);
          break;
        case 'audio':
          player.play(event);
          break;
        case 'error':
          setError(event.message);
          break;
        case 'notice':
          // The offline-voice notice stays while it is true; "back online" fades after a while.
          setNotice(event.message);
          if (event.code === 'tts-online') setTimeout(() => setNotice(''), 6000);
          break;
        default:
          break;
      }
    });
    const showModel = (entry: string) => {
      const url = entry ? `${CUSTOM_MODEL_PATH}${encodeURIComponent(entry)}` : DEFAULT_MODEL_URL;
      avatar
        .load(url)
        .catch((e: unknown) => setError(`Could not load the avatar model ${entry}: ${(e as Error).message}`));
    };
    showModel('');
    const offState = bridge.onOverlayState((next) => {
      setState(next);
      avatar.setScale(next.scale);
      avatar.setRenderScale(next.renderScale);
      clock.setFps(next.frameRateCap);
      showModel(next.modelEntry);
    });
    return () => {
      clock.stop();
      stopPausing();
      offEvents();
      offState();
      player.stop();
      void player.context.close();
      avatar.destroy();
    };
  }, [bridge]);

  const interrupt = () => {
    playerRef.current?.stop();
    bridge.cancel();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = input.trim();
    if (!text) return;
    // Barge-in: silence at once, without waiting for main to cancel the old turn.
    playerRef.current?.stop();
    void playerRef.current?.resume();
    const result = await bridge.say(text);
    if (result.ok) setInput('');
    else setError(result.error);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') interrupt();
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const now = avatarRef.current?.containsPoint(e.clientX, e.clientY) ?? false;
    if (now !== overAvatarRef.current) {
      overAvatarRef.current = now;
      bridge.setPointerOverAvatar(now);
    }
  };

  return (
    <div className="overlay" onKeyDown={onKeyDown} onPointerMove={onPointerMove}>
      <div className="drag-handle" title="Drag to move" />
      <div className="stage">
        <canvas ref={canvasRef} aria-label="Kiyo avatar" />
      </div>
      {state.subtitles && subtitle && (
        <p className="subtitle" aria-live="polite" data-testid="subtitle">
          {subtitle}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {needsGesture && (
        <button className="enable-audio" onClick={() => void playerRef.current?.resume()}>
          Click to enable sound
        </button>
      )}
      {state.chatInputVisible && (
        <form className="chat" onSubmit={submit}>
          <input
            aria-label="Say something to Kiyo"
            placeholder="Say something…"
            value={input}
            maxLength={4000}
            onChange={(e) => setInput(e.target.value)}
          />
        </form>
      )}
    </div>
  );
}
