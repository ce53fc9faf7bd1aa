import { UTTERANCE_MAX_SECONDS, type ListenMode } from '../../shared/voice-input';
import type { Logger } from '../pipeline/logger';

/**
 * The push-to-talk hotkey. Electron's global shortcuts report a key press and never its release,
 * so "hold to talk" cannot be done with a global shortcut: the hotkey toggles instead — press once
 * to start talking, press again to send what was said. (While the overlay window has the focus,
 * the page may offer a real hold-to-talk key of its own.) The talk ends by itself after the
 * longest utterance Kiyo takes, so a forgotten second press never leaves the microphone open.
 */
export class PushToTalk {
  private down = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Tells the overlay page (IPC.pushToTalk). */
    private readonly send: (down: boolean) => void,
    private readonly mode: () => ListenMode,
    private readonly logger: Logger,
    private readonly maxMs = UTTERANCE_MAX_SECONDS * 1000,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  /** The hotkey was pressed. */
  toggle(): void {
    const mode = this.mode();
    if (mode !== 'push-to-talk') {
      this.logger.info(
        `the push-to-talk key was pressed while listening is "${mode}"; it works in push-to-talk mode (Preferences → Listening)`,
      );
      return;
    }
    this.set(!this.down);
  }

  /** Ends a talk in progress (the mode changed, the page reloaded, the app quits). */
  release(): void {
    if (this.down) this.set(false);
  }

  private set(down: boolean): void {
    this.down = down;
    clearTimeout(this.timer);
    this.timer = down ? setTimeout(() => this.release(), this.maxMs) : undefined;
    this.send(down);
  }
}
