import { IPC } from '../../shared/ipc';
import type { VoiceInputSettings } from '../../shared/voice-input';

/** The part of a window's webContents this needs (a structural type, so it is testable). */
interface Page {
  send(channel: string, ...args: unknown[]): void;
  on(event: 'did-finish-load', listener: () => void): unknown;
}

/**
 * Keeps the overlay page's ear on the `listen` settings: sends them when the page (re)loads and
 * whenever they change; `changed()` is called after any settings change and sends only when the
 * `listen` section differs from what the page has. `onSent` hears every settings sent (push-to-talk
 * releases a talk in progress when the mode leaves push-to-talk).
 */
export function syncVoiceInput(
  page: Page,
  current: () => VoiceInputSettings,
  onSent: (settings: VoiceInputSettings) => void = () => {},
): { changed(): void } {
  let sent = '';
  const send = (force: boolean) => {
    const settings = current();
    const json = JSON.stringify(settings);
    if (!force && json === sent) return;
    sent = json;
    page.send(IPC.voiceInput, settings);
    onSent(settings);
  };
  page.on('did-finish-load', () => send(true));
  return { changed: () => send(false) };
}
