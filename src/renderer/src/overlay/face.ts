import type { KiyoBridge } from '../../../shared/ipc';
import { emotionMapFor } from '../../../shared/emotion-map';
import type { StreamPlayer } from '../audio/stream-player';
import { EmotionDirector, type AppliedEmotion } from '../avatar/expressions';
import type { FrameClock } from '../avatar/frame-clock';
import { IdleLife } from '../avatar/idle-life';
import type { Live2DAvatar } from '../avatar/live2d-avatar';
import { NO_SUBTITLE, sameSubtitle, SpokenSegments, type SubtitleView } from './spoken-segments';

export interface Face {
  /** The subtitle on screen now. */
  subtitle(): SubtitleView;
  /** For the debug hook. */
  debug: {
    emotions(): AppliedEmotion[];
    word(): string;
    /** The audio clock when the subtitle was last worked out (the lit word is right for that time). */
    wordTime(): number;
    motion(): string | undefined;
    expression(): string | undefined;
    blinks(): number;
    drawnMouth(): number;
    gaze(): { x: number; y: number };
    shutEyeFrames(): number;
    kiyoBlinkFrames(): number;
  };
  stop(): void;
}

/**
 * Everything the avatar and subtitles do with what is being heard, wired to the page's bridge,
 * player and one frame clock: emotions applied as their segment's audio starts, the spoken word
 * lit in the subtitle, idle life (blinks; the pointer on the desktop page), and Preferences'
 * previews. `onSubtitle` is told only when the subtitle changes.
 */
export function startFace(parts: {
  bridge: KiyoBridge;
  avatar: Live2DAvatar;
  player: StreamPlayer;
  clock: FrameClock;
  onSubtitle(view: SubtitleView): void;
}): Face {
  const { bridge, avatar, player, clock } = parts;
  const onModel = avatar.onModel.bind(avatar);
  const segments = new SpokenSegments();
  const director = new EmotionDirector(onModel);
  const life = new IdleLife(clock, onModel, { followPointer: bridge.kind === 'desktop' });
  let shown = NO_SUBTITLE;
  let shownAt = 0;

  const offClock = clock.add((_now, dtMs) => {
    shownAt = player.context.currentTime;
    director.update(segments.audible(player), shownAt, dtMs);
    const view = segments.subtitle(player);
    if (!sameSubtitle(view, shown)) {
      shown = view;
      parts.onSubtitle(view);
    }
  });
  const offEvents = bridge.onEvent((event) => segments.onEvent(event));
  const offState = bridge.onOverlayState((state) => director.setMap(emotionMapFor(state)));
  const offPreview = bridge.onAvatarPreview?.((action) => director.preview(action));

  return {
    subtitle: () => shown,
    debug: {
      emotions: () => director.applied,
      word: () => (shown.word ? shown.text.slice(shown.word.start, shown.word.end) : ''),
      wordTime: () => shownAt,
      motion: () => director.currentMotion(),
      expression: () => director.currentExpression(),
      blinks: () => life.blinks,
      drawnMouth: () => life.drawnMouth,
      gaze: () => life.gaze,
      shutEyeFrames: () => life.shutEyeFrames,
      kiyoBlinkFrames: () => life.kiyoBlinkFrames,
    },
    stop: () => {
      offClock();
      offEvents();
      offState();
      offPreview?.();
      life.destroy();
    },
  };
}
