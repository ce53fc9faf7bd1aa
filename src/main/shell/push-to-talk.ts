import { UTTERANCE_MAX_SECONDS, type ListenMode } from '../../shared/voice-input';
import type { Logger } from '../pipeline/logger';

/**
 * The push-to-talk key's talk: while it is on, the overlay page's ear listens; when it ends, what
 * was said is sent.
 *
 * Hold to talk: a global key hook (global-key-hook*.ts) reports the key going down (talk starts)
 * and up (talk ends and is sent); auto-repeated key-downs change nothing.
 * Toggle, the fallback: Electron's global shortcuts report a press and never a release, so where
 * no key hook runs (or the user chose it) the shortcut starts a talk and a second press sends it.
 * Either way the talk ends by itself after the longest utterance Kiyo takes, so a stuck key or a
 * forgotten second press never leaves the microphone open.
 */
export class PushToTalk {
  private down = false;
  private holding = false;
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

  /**
   * Whether the key hook drives the talk (hold to talk). While it does, the global shortcut's
   * presses (which still arrive for the same key) are ignored; when it stops, a talk in progress ends.
   */
  set holdActive(active: boolean) {
    if (this.holding === active) return;
    this.holding = active;
    this.release();
  }

  get holdActive(): boolean {
    return this.holding;
  }

  /** The global shortcut was pressed: toggles, unless the key hook is holding. */
  toggle(): void {
    if (this.holding || !this.inPushToTalk()) return;
    this.set(!this.down);
  }

  /** The key hook: the key went down. Talk starts (a repeat while down changes nothing). */
  keyDown(): void {
    if (this.down || !this.inPushToTalk()) return;
    this.set(true);
  }

  /** The key hook: the key (or one of its modifiers) went up. The talk ends and is sent. */
  keyUp(): void {
    this.release();
  }

  /** Ends a talk in progress (the mode changed, the page reloaded, the app quits). */
  release(): void {
    if (this.down) this.set(false);
  }

  private inPushToTalk(): boolean {
    const mode = this.mode();
    if (mode === 'push-to-talk') return true;
    this.logger.info(
      `the push-to-talk key was pressed while listening is "${mode}"; it works in push-to-talk mode (Preferences → Listening)`,
    );
    return false;
  }

  private set(down: boolean): void {
    this.down = down;
    clearTimeout(this.timer);
    this.timer = down ? setTimeout(() => this.release(), this.maxMs) : undefined;
    this.send(down);
  }
}
