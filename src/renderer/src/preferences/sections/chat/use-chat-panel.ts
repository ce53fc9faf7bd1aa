import { useEffect, useState } from 'react';
import type { ChatBridge, ChatPanelInfo } from '../../../../../shared/chat-api';

declare global {
  interface Window {
    /** The chat panel's bridge (preload/chat-bridge.ts); absent where the app offers no chat. */
    kiyoChat?: ChatBridge;
  }
}

/** The chat panel's state from main, refreshed whenever main says it changed. */
export function useChatPanel(): { bridge?: ChatBridge; info?: ChatPanelInfo; refresh(): void } {
  const bridge = window.kiyoChat;
  const [info, setInfo] = useState<ChatPanelInfo | undefined>();
  const refresh = () => void bridge?.getState().then(setInfo);
  useEffect(() => {
    if (!bridge) return;
    void bridge.getState().then(setInfo);
    return bridge.onChanged(() => void bridge.getState().then(setInfo));
  }, [bridge]);
  return { ...(bridge && { bridge }), ...(info && { info }), refresh };
}
