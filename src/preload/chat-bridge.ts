import { ipcRenderer } from 'electron';
import { CHAT_IPC, type ChatBridge } from '../shared/chat-api';

/** The preferences page's chat panel bridge: fixed functions only; main checks the sender. */
export const chatBridge: ChatBridge = {
  getState: () => ipcRenderer.invoke(CHAT_IPC.getState),
  control: (control) => ipcRenderer.invoke(CHAT_IPC.control, control),
  setSignIn: (signIn) => ipcRenderer.invoke(CHAT_IPC.setSignIn, signIn),
  clearSignIn: () => ipcRenderer.invoke(CHAT_IPC.clearSignIn),
  onChanged: (listener) => {
    const handler = () => listener();
    ipcRenderer.on(CHAT_IPC.changed, handler);
    return () => ipcRenderer.removeListener(CHAT_IPC.changed, handler);
  },
};
