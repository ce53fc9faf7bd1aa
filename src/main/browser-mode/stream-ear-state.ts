import type { EarState, VoiceStatus } from '../../shared/voice-input';

/**
 * What the OBS/browser page is told about the desktop overlay's ear. By default nothing: an
 * audience sees the avatar and subtitles only. With `listen.showStateOnStream` on, the ear's state
 * word goes out each time it changes (the ear reports a few times a second, mostly level changes,
 * which never leave main). Turning the option off clears the badge once (`publish(undefined)`),
 * then nothing is sent until it is turned on again.
 */
export class StreamEarState {
  /** What the ear last reported. */
  private heard: EarState = 'off';
  /** What the pages were last told; undefined = nothing (the option is off). */
  private shown: EarState | undefined;

  constructor(
    private readonly deps: {
      /** `listen.showStateOnStream`, read at each report and settings change. */
      enabled(): boolean;
      /** A state to show, or undefined to show nothing (OverlayServer.publishEarState). */
      publish(state: EarState | undefined): void;
    },
  ) {}

  /** The overlay's ear reported its status; only its state word is read. */
  report(status: VoiceStatus): void {
    this.heard = status.state;
    this.update();
  }

  /** Call after any settings change: the option may have been turned on or off. */
  settingsChanged(): void {
    this.update();
  }

  private update(): void {
    const next = this.deps.enabled() ? this.heard : undefined;
    if (next === this.shown) return;
    this.shown = next;
    this.deps.publish(next);
  }
}
