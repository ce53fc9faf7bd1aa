import type { StreamPlayer, FirstSample } from '../audio/stream-player';
import type { FrameClock } from '../avatar/frame-clock';
import type { Face } from './face';
import type { Live2DAvatar } from '../avatar/live2d-avatar';

/**
 * Read-only numbers for automated tests and for people debugging lip sync in the devtools
 * console (`__kiyo.mouth`). Nothing here can change what the app does.
 */
export function exposeDebug(parts: {
  player: StreamPlayer;
  avatar: Live2DAvatar;
  clock: FrameClock;
  mouth: () => number;
  subtitle: () => string;
  reports: FirstSample[];
  /** The face: emotions applied, the highlighted word, the motion playing, blinks. */
  face?: Face['debug'];
}): void {
  const { player, avatar, clock } = parts;
  Object.defineProperty(window, '__kiyo', {
    configurable: true,
    value: Object.freeze({
      get modelLoaded() {
        return avatar.loaded;
      },
      get modelUrl() {
        return avatar.modelUrl;
      },
      get shownModelUrl() {
        return avatar.shownModelUrl;
      },
      get mouth() {
        return parts.mouth();
      },
      get modelMouth() {
        return avatar.modelMouthOpen();
      },
      get level() {
        return player.level();
      },
      get activeSources() {
        return player.activeSources;
      },
      /** Seconds of audio the current turn scheduled, at the sample rates its events declared. */
      get scheduledSeconds() {
        return player.scheduledSeconds;
      },
      get subtitle() {
        return parts.subtitle();
      },
      get audioState() {
        return player.context.state;
      },
      /** Whether the audio output rests in a long silence (output-rest.ts), and how often it did. */
      get outputRest() {
        return player.outputRest;
      },
      get firstSamples() {
        return [...parts.reports];
      },
      /** Times the WebGL context was lost and restored (a GPU reset); the model is then reloaded. */
      get contextRestores() {
        return avatar.contextRestores;
      },
      /** Frames the avatar has rendered since the page loaded (the frame-rate cap's effect). */
      get framesDrawn() {
        return avatar.framesDrawn;
      },
      /** Frames the clock offered that were not drawn: nothing visible had changed. */
      get framesSkipped() {
        return avatar.framesSkipped;
      },
      get frameRateCap() {
        return clock.fps;
      },
      /** Light lip sync: while she speaks, about 8 drawn frames a second. */
      get speakingFrameLimit() {
        return avatar.speakingFrameLimited;
      },
      get renderPaused() {
        return clock.paused;
      },
      get renderSize() {
        return avatar.renderSize();
      },
      /** Device pixels of movement a frame needs to be drawn: 1 while she speaks, 2 while silent. */
      get redrawThresholdPx() {
        return avatar.redrawThresholdPx;
      },
      /** The last frame's meshes and draw calls (Cubism 2's batched renderer; undefined otherwise). */
      get batchFrame() {
        return avatar.batchFrame;
      },
      /** Software GL, and model textures read from the nearest mipmap level (software-texture-filter.ts). */
      get textureFiltering() {
        return avatar.textureFiltering;
      },
      /** The pose on screen drawn by the core's renderer and by the batched one (avatar/renderer-check.ts). */
      checkRenderers() {
        return avatar.checkRenderers();
      },
      /** The pose on screen drawn again, its filled fragments counted (avatar/fill-count.ts). */
      countFill() {
        return avatar.countFill();
      },
      /** Emotions applied to the avatar, each with the AudioContext time it was applied at. */
      get emotions() {
        return parts.face?.emotions().map((e) => ({ ...e })) ?? [];
      },
      /** The word the subtitle highlights now ('' when none). */
      get spokenWord() {
        return parts.face?.word() ?? '';
      },
      /** The audio clock time the highlighted word was worked out for (the last frame drawn). */
      get spokenWordAt() {
        return parts.face?.wordTime() ?? 0;
      },
      /** The motion group playing now (idle, tap_body, …). */
      get motion() {
        return parts.face?.motion();
      },
      /** The expression on the face now (undefined: the model's default face). */
      get expression() {
        return parts.face?.expression();
      },
      get blinks() {
        return parts.face?.blinks() ?? 0;
      },
      /** The mouth parameter at the end of the model's last update: what it drew, whoever wrote it. */
      get drawnMouth() {
        return parts.face?.drawnMouth() ?? 0;
      },
      /** Where her eyes and head turn, -1 – 1 each way; 0, 0 looks at the viewer. */
      get gaze() {
        return parts.face?.gaze() ?? { x: 0, y: 0 };
      },
      /** Model updates drawn with the eyes shut: blinks reach the model over any idle motion. */
      get shutEyeFrames() {
        return parts.face?.shutEyeFrames() ?? 0;
      },
      /** Model updates Kiyo's own blink narrowed the eyes in (0 while the model blinks by itself). */
      get kiyoBlinkFrames() {
        return parts.face?.kiyoBlinkFrames() ?? 0;
      },
      get audioTime() {
        return player.context.currentTime;
      },
      /** AudioContext time of the current turn's segment `index`'s first sample. */
      segmentStart(index: number) {
        return player.segmentStart(index);
      },
    }),
  });
}
