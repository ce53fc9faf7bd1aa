import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EmotionAction } from '../shared/emotion-map';
import { IPC, type KiyoBridge } from '../shared/ipc';
import type { OverlayState } from '../shared/ipc';
import { PREFS_IPC, type PreferencesBridge, type PrefsChange } from '../shared/preferences-api';
import type { PipelineEvent } from '../shared/pipeline-events';
import { chatBridge } from './chat-bridge';
import { earBridge } from './ear-bridge';
import type { VoiceStatus } from '../shared/voice-input';

// Main sends the state once the page has loaded, possibly before React subscribes: keep the last one.
let lastOverlayState: OverlayState | undefined;
ipcRenderer.on(IPC.overlayState, (_event, state: OverlayState) => {
  lastOverlayState = state;
});
let lastWindowVisible: boolean | undefined;
ipcRenderer.on(IPC.windowVisible, (_event, visible: boolean) => {
  lastWindowVisible = visible;
});

const bridge: KiyoBridge = {
  // The user's own overlay window: chat input and messages. The OBS page's bridge says 'stream'.
  kind: 'desktop',
  say: (text) => ipcRenderer.invoke(IPC.say, { text }),
  cancel: () => ipcRenderer.send(IPC.cancel),
  reportPlaybackStarted: (report) => ipcRenderer.send(IPC.playbackStarted, report),
  reportPlaybackStopped: (report) => ipcRenderer.send(IPC.playbackStopped, report),
  reportPlaybackFinished: (report) => ipcRenderer.send(IPC.playbackFinished, report),
  onEvent: (listener) => {
    const handler = (_event: IpcRendererEvent, payload: PipelineEvent) => listener(payload);
    ipcRenderer.on(IPC.event, handler);
    return () => ipcRenderer.removeListener(IPC.event, handler);
  },
  onOverlayState: (listener) => {
    const handler = (_event: IpcRendererEvent, state: OverlayState) => listener(state);
    ipcRenderer.on(IPC.overlayState, handler);
    if (lastOverlayState) listener(lastOverlayState);
    return () => ipcRenderer.removeListener(IPC.overlayState, handler);
  },
  setPointerOverAvatar: (over) => ipcRenderer.send(IPC.pointerOverAvatar, { over }),
  onAvatarPreview: (listener) => {
    const handler = (_event: IpcRendererEvent, action: EmotionAction) => listener(action);
    ipcRenderer.on(IPC.avatarPreview, handler);
    return () => ipcRenderer.removeListener(IPC.avatarPreview, handler);
  },
  onWindowVisible: (listener) => {
    const handler = (_event: IpcRendererEvent, visible: boolean) => listener(visible === true);
    ipcRenderer.on(IPC.windowVisible, handler);
    if (lastWindowVisible !== undefined) listener(lastWindowVisible);
    return () => ipcRenderer.removeListener(IPC.windowVisible, handler);
  },
  // The ear: the overlay page only (main checks the sender as well), like the preferences API below.
  ...(location.pathname.endsWith('/index.html') && earBridge()),
};

contextBridge.exposeInMainWorld('kiyo', bridge);

// Only the preferences page gets the preferences API (main checks the sender as well).
if (location.pathname.endsWith('/preferences.html')) {
  const invoke =
    <T>(channel: string) =>
    (arg?: unknown): Promise<T> =>
      ipcRenderer.invoke(channel, arg);
  const preferences: PreferencesBridge = {
    getSettings: invoke(PREFS_IPC.getSettings),
    updateSettings: invoke(PREFS_IPC.updateSettings),
    confirmApiKeyOrigin: invoke(PREFS_IPC.confirmApiKeyOrigin),
    resetSettings: invoke(PREFS_IPC.resetSettings),
    listModels: invoke(PREFS_IPC.listModels),
    testConnection: invoke(PREFS_IPC.testConnection),
    listVoices: invoke(PREFS_IPC.listVoices),
    previewVoice: invoke(PREFS_IPC.previewVoice),
    getOverlay: invoke(PREFS_IPC.getOverlay),
    chooseAvatar: invoke(PREFS_IPC.chooseAvatar),
    useDefaultAvatar: invoke(PREFS_IPC.useDefaultAvatar),
    updateOverlay: invoke(PREFS_IPC.updateOverlay),
    getAvatarCatalog: invoke(PREFS_IPC.getAvatarCatalog),
    previewAvatar: invoke(PREFS_IPC.previewAvatar),
    getLatency: invoke(PREFS_IPC.getLatency),
    getAdvanced: invoke(PREFS_IPC.getAdvanced),
    setLogLevel: invoke(PREFS_IPC.setLogLevel),
    setHotkey: invoke(PREFS_IPC.setHotkey),
    openLogsFolder: invoke(PREFS_IPC.openLogsFolder),
    onChanged: (listener) => {
      const handler = (_event: IpcRendererEvent, what: PrefsChange) => listener(what);
      ipcRenderer.on(PREFS_IPC.changed, handler);
      return () => ipcRenderer.removeListener(PREFS_IPC.changed, handler);
    },
    getVoiceStatus: invoke(PREFS_IPC.getVoiceStatus),
    onVoiceStatus: (listener) => {
      const handler = (_event: IpcRendererEvent, status: VoiceStatus) => listener(status);
      ipcRenderer.on(PREFS_IPC.voiceStatus, handler);
      return () => ipcRenderer.removeListener(PREFS_IPC.voiceStatus, handler);
    },
  };
  contextBridge.exposeInMainWorld('kiyoPreferences', preferences);
  // The chat panel's queue, controls and Twitch sign-in (src/shared/chat-api.ts).
  contextBridge.exposeInMainWorld('kiyoChat', chatBridge);
}
