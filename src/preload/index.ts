import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type KiyoBridge } from '../shared/ipc';
import type { PipelineEvent } from '../shared/pipeline-events';

const bridge: KiyoBridge = {
  say: (text) => ipcRenderer.invoke(IPC.say, { text }),
  cancel: () => ipcRenderer.send(IPC.cancel),
  reportPlaybackStarted: (report) => ipcRenderer.send(IPC.playbackStarted, report),
  onEvent: (listener) => {
    const handler = (_event: IpcRendererEvent, payload: PipelineEvent) => listener(payload);
    ipcRenderer.on(IPC.event, handler);
    return () => ipcRenderer.removeListener(IPC.event, handler);
  },
};

contextBridge.exposeInMainWorld('kiyo', bridge);
