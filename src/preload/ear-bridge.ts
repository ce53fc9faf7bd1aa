import { ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type KiyoBridge } from '../shared/ipc';
import type { VoiceInputSettings } from '../shared/voice-input';

export type EarBridge = Required<
  Pick<KiyoBridge, 'sendUtterance' | 'retryUtterance' | 'onVoiceInput' | 'onPushToTalk' | 'reportVoiceStatus'>
>;

/**
 * The ear's part of the overlay page's bridge: main hears only the overlay page's main frame on
 * these, with payloads checked against voice-input.ts; the microphone itself is granted to that
 * page alone. Call once, on the overlay page only.
 */
export function earBridge(): EarBridge {
  // Main sends the settings once the page has loaded, possibly before the ear subscribes: keep the last.
  let lastVoiceInput: VoiceInputSettings | undefined;
  ipcRenderer.on(IPC.voiceInput, (_event, settings: VoiceInputSettings) => {
    lastVoiceInput = settings;
  });
  return {
    sendUtterance: (utterance) => ipcRenderer.send(IPC.utterance, utterance),
    retryUtterance: () => ipcRenderer.send(IPC.retryUtterance),
    onVoiceInput: (listener) => {
      const handler = (_event: IpcRendererEvent, settings: VoiceInputSettings) => listener(settings);
      ipcRenderer.on(IPC.voiceInput, handler);
      if (lastVoiceInput) listener(lastVoiceInput);
      return () => ipcRenderer.removeListener(IPC.voiceInput, handler);
    },
    onPushToTalk: (listener) => {
      const handler = (_event: IpcRendererEvent, down: boolean) => listener(down === true);
      ipcRenderer.on(IPC.pushToTalk, handler);
      return () => ipcRenderer.removeListener(IPC.pushToTalk, handler);
    },
    reportVoiceStatus: (status) => ipcRenderer.send(IPC.voiceStatus, status),
  };
}
