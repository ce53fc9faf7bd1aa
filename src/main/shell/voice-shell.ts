import type { WebContents } from 'electron';
import { IPC } from '../../shared/ipc';
import type { HoldToTalkStatus, HotkeyInfo } from '../../shared/preferences-api';
import type { VoiceInputSettings, VoiceStatus } from '../../shared/voice-input';
import type { Logger } from '../pipeline/logger';
import type { TurnRunner } from '../pipeline/turn-runner';
import { watchKey, type GlobalKeyHook } from './global-key-hook';
import { HoldToTalkControl } from './global-key-hook-control';
import { spawnUtilityHookProcess } from './global-key-hook-electron';
import type { KeyBinding } from './global-key-hook-keys';
import { processKeySource } from './global-key-hook-process';
import { PushToTalk } from './push-to-talk';
import { syncVoiceInput } from './voice-input-sync';
import { registerVoiceIpc } from './voice-ipc';

/**
 * The ear's wiring in main, in one place for the composition root: the overlay page's utterances
 * and status over IPC, the `listen` settings pushed to it, the push-to-talk hotkey, and the ear's
 * status relayed to Preferences (which has no microphone of its own). The push-to-talk key is held
 * to talk through a global key hook where the system allows one, else it toggles.
 */
export function wireVoice(deps: {
  overlay: WebContents;
  runner: Pick<TurnRunner, 'hear' | 'retryUtterance'>;
  listen: () => VoiceInputSettings;
  /** The ear's latest status, for Preferences (its level meter and microphone list). */
  onStatus(status: VoiceStatus): void;
  logger: Logger;
  /** Hold-to-talk's status changed (starting, active, unavailable…), for Preferences. */
  onHoldToTalk?: (status: HoldToTalkStatus) => void;
  /** The hold-to-talk key hook for a key; the tests pass a fake. Default: uiohook-napi in a utility process. */
  keyHook?: (binding: KeyBinding) => GlobalKeyHook;
}) {
  const send = (channel: string, payload: unknown) => {
    if (!deps.overlay.isDestroyed()) deps.overlay.send(channel, payload);
  };
  const pushToTalk = new PushToTalk(
    (down) => send(IPC.pushToTalk, down),
    () => deps.listen().mode,
    deps.logger,
  );
  const hold = new HoldToTalkControl({
    pushToTalk,
    logger: deps.logger,
    onChange: deps.onHoldToTalk,
    createHook:
      deps.keyHook ??
      ((binding) =>
        watchKey(
          binding,
          processKeySource(spawnUtilityHookProcess, (detail) => deps.logger.warn(`hold-to-talk: ${detail}`)),
        )),
  });
  let pushToTalkKey: string | undefined;
  // The hook runs only in push-to-talk mode with "hold" chosen and a key registered.
  const updateHold = () => {
    const listen = deps.listen();
    hold.update(
      listen.mode === 'push-to-talk' && listen.pushToTalkStyle === 'hold' ? pushToTalkKey : undefined,
    );
  };
  // A reloaded page, or any change of the listen settings (a new mode), starts with the key up.
  const sync = syncVoiceInput(deps.overlay, deps.listen, () => pushToTalk.release());
  let status: VoiceStatus | undefined;
  const dispose = registerVoiceIpc(deps.runner, {
    logger: deps.logger,
    onStatus: (next) => {
      status = next;
      deps.onStatus(next);
    },
  });
  return {
    /** The push-to-talk global shortcut's handler (toggles unless the key hook is holding). */
    pushToTalk: () => pushToTalk.toggle(),
    /** The push-to-talk shortcut as registered (undefined: off or not registered). */
    setPushToTalkKey: (accelerator: string | undefined) => {
      pushToTalkKey = accelerator;
      updateHold();
    },
    /** Call after any settings change: the page gets `listen` if it changed; the hook follows the mode. */
    settingsChanged: () => {
      sync.changed();
      updateHold();
    },
    /** The hotkey list with hold-to-talk's status on the push-to-talk entry, for Preferences. */
    withHoldToTalk: (hotkeys: HotkeyInfo[]): HotkeyInfo[] =>
      hotkeys.map((h) => (h.id === 'pushToTalk' ? { ...h, holdToTalk: hold.status } : h)),
    /** What the overlay's ear last reported (undefined before it did). */
    status: () => status,
    /** Stops the key hook and ends a talk (quit). */
    dispose: () => {
      hold.stop();
      pushToTalk.release();
      dispose();
    },
  };
}
