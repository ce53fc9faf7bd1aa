import type { HoldToTalkStatus } from '../../shared/preferences-api';
import type { Logger } from '../pipeline/logger';
import type { GlobalKeyHook } from './global-key-hook';
import { keyBindingOf, type KeyBinding } from './global-key-hook-keys';
import type { PushToTalk } from './push-to-talk';

/**
 * Runs the global key hook only while hold-to-talk needs it: the listening mode is push-to-talk,
 * "hold" is chosen and the push-to-talk key is set. A hook sees every key press on the system, so
 * it is stopped as soon as one of these no longer holds, and on quit. When the key cannot be
 * watched or the system refuses the hook, the push-to-talk key toggles instead (PushToTalk) and
 * the reason is logged and shown in Preferences → Listening.
 */
export class HoldToTalkControl {
  private wanted: string | undefined;
  private hook: GlobalKeyHook | undefined;
  private current: HoldToTalkStatus = { state: 'off' };

  constructor(
    private readonly deps: {
      pushToTalk: PushToTalk;
      createHook: (binding: KeyBinding) => GlobalKeyHook;
      logger: Logger;
      /** The status changed (Preferences re-reads it). */
      onChange?: (status: HoldToTalkStatus) => void;
      platform?: NodeJS.Platform;
    },
  ) {}

  get status(): HoldToTalkStatus {
    return this.current;
  }

  /**
   * What hold-to-talk needs now: the push-to-talk accelerator, or undefined when hold-to-talk is
   * not wanted. Same wish, nothing done: a hook that failed is tried again only after the wish
   * changed (leaving push-to-talk and coming back, another key).
   */
  update(accelerator: string | undefined): void {
    if (accelerator === this.wanted) return;
    this.wanted = accelerator;
    this.stopHook();
    if (!accelerator) return this.set({ state: 'off' });
    const mapped = keyBindingOf(accelerator, this.deps.platform);
    if (!mapped.ok) return this.unavailable(mapped.problem);
    let hook: GlobalKeyHook;
    try {
      hook = this.deps.createHook(mapped.binding);
    } catch (error) {
      this.deps.logger.warn('the keyboard hook could not be created:', error);
      return this.unavailable('the keyboard hook could not be loaded on this system');
    }
    this.hook = hook;
    const ptt = this.deps.pushToTalk;
    hook.onDown(() => ptt.keyDown());
    hook.onUp(() => ptt.keyUp());
    hook.onLost((reason) => {
      if (this.hook !== hook) return;
      this.hook = undefined;
      ptt.holdActive = false;
      this.unavailable(reason);
    });
    this.set({ state: 'starting' });
    hook.start().then(
      () => {
        if (this.hook !== hook) return;
        ptt.holdActive = true;
        this.deps.logger.info(
          `hold-to-talk: hold ${accelerator} to talk (a global keyboard hook runs while listening is push-to-talk)`,
        );
        this.set({ state: 'active' });
      },
      (error: unknown) => {
        if (this.hook !== hook) return;
        this.hook = undefined;
        this.unavailable(error instanceof Error ? error.message : String(error));
      },
    );
  }

  /** Stops the hook for good (the app quits). */
  stop(): void {
    this.wanted = undefined;
    this.stopHook();
    this.set({ state: 'off' });
  }

  private stopHook(): void {
    const hook = this.hook;
    this.hook = undefined;
    this.deps.pushToTalk.holdActive = false;
    hook?.stop();
  }

  private unavailable(problem: string): void {
    this.deps.logger.warn(
      `hold-to-talk is unavailable: ${problem}. The push-to-talk key toggles instead (press to start talking, press again to send).`,
    );
    this.set({ state: 'unavailable', problem });
  }

  private set(status: HoldToTalkStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.current)) return;
    this.current = status;
    this.deps.onChange?.(status);
  }
}
