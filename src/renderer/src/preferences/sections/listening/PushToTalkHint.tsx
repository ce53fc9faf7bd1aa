import { useEffect, useState } from 'react';
import type { HotkeyInfo, PreferencesBridge } from '../../../../../shared/preferences-api';
import type { VoiceInputSettings } from '../../../../../shared/voice-input';

/** The push-to-talk shortcut's entry (with hold-to-talk's status), re-read whenever main says settings changed. */
function usePushToTalkHotkey(bridge: PreferencesBridge, style: string): HotkeyInfo | undefined | null {
  const [hotkey, setHotkey] = useState<HotkeyInfo | undefined | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      void bridge.getAdvanced().then((advanced) => {
        if (live) setHotkey(advanced.hotkeys.find((h) => h.id === 'pushToTalk'));
      });
    read();
    const unsubscribe = bridge.onChanged((what) => {
      if (what === 'settings') read();
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [bridge, style]);
  return hotkey;
}

/**
 * How the push-to-talk key works right now: held down to talk (the global key hook runs), or
 * pressed to start and again to send — chosen, or because hold-to-talk is unavailable (and why).
 */
export function PushToTalkHint({
  bridge,
  listen,
}: {
  bridge: PreferencesBridge;
  listen: VoiceInputSettings;
}) {
  const hotkey = usePushToTalkHotkey(bridge, listen.pushToTalkStyle);
  if (hotkey === null) return null; // not read yet
  const key = hotkey?.registered ? hotkey.accelerator : '';
  let text: string;
  if (!key) text = 'The push-to-talk shortcut is off or taken by another app: set one in Overlay.';
  else {
    const toggle = `press ${key} to start talking and press it again to send`;
    const hold = hotkey?.holdToTalk;
    if (listen.pushToTalkStyle === 'toggle')
      text = `Press ${key} to start talking and press it again to send.`;
    else if (hold?.state === 'active')
      text = `Hold ${key} while you talk; Kiyo sends what you said when you let go. The keyboard hook passes Kiyo only this key and the modifier keys, and runs only while push-to-talk is on.`;
    else if (hold?.state === 'unavailable')
      text = `Hold-to-talk is unavailable: ${hold.problem}. Instead, ${toggle}.`;
    else text = `Starting hold-to-talk for ${key}…`;
  }
  return (
    <p className="hint" data-hint="push-to-talk">
      {text} Change the key in Overlay.
    </p>
  );
}
