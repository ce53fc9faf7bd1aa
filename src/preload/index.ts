import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type KiyoBridge } from '../shared/ipc';
import type { OverlayState } from '../shared/ipc';
import type { PipelineEvent } from '../shared/pipeline-events';

// Main sends the state once the page has loaded, possibly before React subscribes: keep the last one.
let lastOverlayState: OverlayState | undefined;
ipcRenderer.on(IPC.overlayState, (_event, state: OverlayState) => {
  lastOverlayState = state;
});

const bridge: KiyoBridge = {
  say: (text) => ipcRenderer.invoke(IPC.say, { text }),
  cancel: () => ipcRenderer.send(IPC.cancel),
  reportPlaybackStarted: (report) => ipcRenderer.send(IPC.playbackStarted, report),
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
};

contextBridge.exposeInMainWorld('kiyo', bridge);
