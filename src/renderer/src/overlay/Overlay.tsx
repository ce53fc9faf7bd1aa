import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { DEFAULT_OVERLAY_STATE, type KiyoBridge, type OverlayState } from '../../../shared/ipc';
import { nextMouthOpen } from '../audio/lip-sync';
import { StreamPlayer, type FirstSample } from '../audio/stream-player';
import { FrameClock } from '../avatar/frame-clock';
import { DEFAULT_MODEL_URL, Live2DAvatar } from '../avatar/live2d-avatar';
import { pauseWhenHidden } from '../avatar/pause-when-hidden';
import { EarIndicator, EarStateBadge, useEar } from '../voice/use-ear';
import { useStreamEarState } from '../voice/use-stream-ear';

/** Where main (Electron) and the browser-mode server serve the user's model folder. */
const CUSTOM_MODEL_PATH = 'custom-model/';
import { ChatInput } from './ChatInput';
import { ChatQuestion } from './ChatQuestion';
import { exposeDebug } from './debug-hook';
import { startFace } from './face';
import { NO_SUBTITLE, type SubtitleView } from './spoken-segments';
import { Subtitle } from './Subtitle';
import { useOverlayMessages } from './use-overlay-messages';
import './overlay.css';

/**
 * The overlay: the avatar on a transparent background, subtitles for the sentence being spoken,
 * and on the desktop a small chat input and problems in short plain words. On the stream (OBS)
 * page, known from the bridge, only the avatar and subtitles (and, if the user asked for it, a
 * friendly status, and the desktop ear's listening state). Talks only to the bridge.
 */
export function Overlay({ bridge }: { bridge: KiyoBridge }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const playerRef = useRef<StreamPlayer | null>(null);
  const avatarRef = useRef<Live2DAvatar | null>(null);
  // A ref, not a local: it must survive re-renders, or every move would re-send the same state.
  const overAvatarRef = useRef(false);
  const [state, setState] = useState<OverlayState>(DEFAULT_OVERLAY_STATE);
  const [subtitle, setSubtitle] = useState<SubtitleView>(NO_SUBTITLE);
  const [needsGesture, setNeedsGesture] = useState(false);
  const stream = bridge.kind === 'stream';
  const messages = useOverlayMessages(bridge);
  const showError = useRef(messages.showError);
  showError.current = messages.showError;

  useEffect(() => {
    const reports: FirstSample[] = [];
    const player = new StreamPlayer({
      onFirstSample: (report) => {
        reports.push(report);
        bridge.reportPlaybackStarted(report);
      },
      onInterrupted: (report) => bridge.reportPlaybackStopped(report),
      // Main waits for this before a chat answer may start (it would cut this audio).
      onFinished: (report) => bridge.reportPlaybackFinished(report),
    });
    playerRef.current = player;
    const avatar = new Live2DAvatar(canvasRef.current!, {
      renderScale: DEFAULT_OVERLAY_STATE.renderScale,
      // Taps and the pointer are the desktop user's; the audience's page only watches.
      interactive: bridge.kind === 'desktop',
    });
    avatarRef.current = avatar;

    // Lip sync, subtitles and the avatar share one loop at the frame-rate cap, paused while nobody
    // can see the page. Both step by elapsed time, so a lower cap is never a slower mouth. Audio is
    // not on it: it plays from the events below the moment they arrive.
    const clock = new FrameClock(DEFAULT_OVERLAY_STATE.frameRateCap);
    let mouth = 0;
    clock.add((_now, dtMs) => {
      const playing = player.activeSources > 0;
      mouth = playing ? nextMouthOpen(mouth, player.level(), dtMs) : 0;
      avatar.setMouthOpen(mouth);
      avatar.setSpeaking(playing);
      setNeedsGesture(player.suspended);
      avatar.draw(dtMs);
    });
    // Emotions as their audio starts, the spoken word in the subtitle, idle life: face.ts.
    const face = startFace({ bridge, avatar, player, clock, onSubtitle: setSubtitle });
    const stopPausing = pauseWhenHidden(clock, bridge);
    clock.start();
    exposeDebug({
      player,
      avatar,
      clock,
      mouth: () => mouth,
      subtitle: () => face.subtitle().text,
      reports,
      face: face.debug,
    });

    const offEvents = bridge.onEvent((event) => {
      switch (event.type) {
        case 'turn-start':
          player.stop();
          // Its audio follows: an output resting in a long silence is resumed before it comes.
          player.expectTurn();
          break;
        case 'stop-playback':
          player.stop();
          break;
        case 'audio':
          player.play(event);
          break;
        case 'turn-end':
          player.endTurn(event.turnId);
          break;
        default:
          break;
      }
    });
    const showModel = (entry: string) => {
      const url = entry ? `${CUSTOM_MODEL_PATH}${encodeURIComponent(entry)}` : DEFAULT_MODEL_URL;
      avatar.load(url).catch((e: unknown) => {
        console.warn(`avatar model ${url} failed to load:`, e);
        showError.current(`Kiyo's avatar model "${entry || 'built in'}" could not be loaded.`);
      });
    };
    showModel('');
    const offState = bridge.onOverlayState((next) => {
      setState(next);
      avatar.setScale(next.scale);
      avatar.setRenderScale(next.renderScale);
      avatar.setSpeakingFrameLimit(next.lightLipSync);
      clock.setFps(next.frameRateCap);
      showModel(next.modelEntry);
    });
    return () => {
      clock.stop();
      face.stop();
      stopPausing();
      offEvents();
      offState();
      void player.close();
      avatar.destroy();
    };
  }, [bridge]);

  // The ear (desktop only; created after the player above): microphone, voice turns, barge-in.
  const ear = useEar(bridge, playerRef);
  // The OBS page: the desktop ear's state, only when the user asked for it there (main decides).
  const streamEar = useStreamEarState(bridge);

  const interrupt = () => {
    playerRef.current?.stop();
    bridge.cancel();
  };

  const send = async (text: string) => {
    // Barge-in: silence at once, without waiting for main to cancel the old turn.
    playerRef.current?.stop();
    void playerRef.current?.resume();
    const result = await bridge.say(text);
    return result.ok ? undefined : result.error;
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
    <div
      className={stream ? 'overlay stream' : 'overlay'}
      onKeyDown={stream ? undefined : onKeyDown}
      onPointerMove={stream ? undefined : onPointerMove}
    >
      {!stream && <div className="drag-handle" title="Drag to move" />}
      <div className="stage">
        <canvas ref={canvasRef} aria-label="Kiyo avatar" />
      </div>
      {/* The viewer's question being answered, above the subtitles (live chat). */}
      <ChatQuestion bridge={bridge} playing={() => (playerRef.current?.activeSources ?? 0) > 0} />
      {state.subtitles && subtitle.text && <Subtitle view={subtitle} />}
      {!stream && messages.error && (
        <p className="error" role="alert">
          {messages.error}
        </p>
      )}
      {!stream && messages.notices.length > 0 && (
        <div className="notice" role="status" data-testid="notice">
          {messages.notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      {stream && state.streamStatus && messages.status && (
        <p className="stream-status" data-testid="stream-status">
          {messages.status}
        </p>
      )}
      {needsGesture &&
        (stream ? (
          // OBS plays sound by itself; a plain browser may block it until a click. Then, and only
          // then, a small speaker in the corner rather than a button across the avatar.
          <button
            className="enable-audio-small"
            aria-label="Enable sound"
            title="The browser blocked sound: click to enable"
            onClick={() => void playerRef.current?.resume()}
          >
            🔈
          </button>
        ) : (
          <button className="enable-audio" onClick={() => void playerRef.current?.resume()}>
            Click to enable sound
          </button>
        ))}
      {!stream && <EarIndicator view={ear.view} retry={ear.retry} />}
      {stream && <EarStateBadge state={streamEar} />}
      {!stream && state.chatInputVisible && <ChatInput send={send} />}
    </div>
  );
}
