import type { WebContents } from 'electron';
import { IPC } from '../../shared/ipc';
import type { VoiceInputSettings, VoiceStatus } from '../../shared/voice-input';
import type { Logger } from '../pipeline/logger';
import type { TurnRunner } from '../pipeline/turn-runner';
import { PushToTalk } from './push-to-talk';
import { syncVoiceInput } from './voice-input-sync';
import { registerVoiceIpc } from './voice-ipc';

/**
 * The ear's wiring in main, in one place for the composition root: the overlay page's utterances
 * and status over IPC, the `listen` settings pushed to it, the push-to-talk hotkey, and the ear's
 * status relayed to Preferences (which has no microphone of its own).
 */
export function wireVoice(deps: {
  overlay: WebContents;
  runner: Pick<TurnRunner, 'hear' | 'retryUtterance'>;
  listen: () => VoiceInputSettings;
  /** The ear's latest status, for Preferences (its level meter and microphone list). */
  onStatus(status: VoiceStatus): void;
  logger: Logger;
}) {
  const send = (channel: string, payload: unknown) => {
    if (!deps.overlay.isDestroyed()) deps.overlay.send(channel, payload);
  };
  const pushToTalk = new PushToTalk(
    (down) => send(IPC.pushToTalk, down),
    () => deps.listen().mode,
    deps.logger,
  );
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
    /** The push-to-talk hotkey's handler. */
    pushToTalk: () => pushToTalk.toggle(),
    /** Call after any settings change: the page gets `listen` if it changed. */
    settingsChanged: () => sync.changed(),
    /** What the overlay's ear last reported (undefined before it did). */
    status: () => status,
    dispose: () => {
      pushToTalk.release();
      dispose();
    },
  };
}
