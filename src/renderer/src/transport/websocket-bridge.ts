import type { KiyoBridge, OverlayState, SayResult } from '../../../shared/ipc';
import type { PipelineEvent } from '../../../shared/pipeline-events';
import type { EarState } from '../../../shared/voice-input';
import { decodeServerMessage, type ClientMessage } from '../../../shared/ws-protocol';

/**
 * The same bridge as Electron's preload, over the app's local WebSocket (browser/OBS mode).
 * Reconnects with backoff so an OBS source survives an app restart. Its page is the stream page
 * (`kind: 'stream'`): the overlay shows no input, errors or notices there.
 */
export function createWebSocketBridge(url: string): KiyoBridge {
  const eventListeners = new Set<(event: PipelineEvent) => void>();
  const stateListeners = new Set<(state: OverlayState) => void>();
  let lastState: OverlayState | undefined;
  const earListeners = new Set<(state: EarState) => void>();
  // Sent on connect only while the option is on; kept for a listener that subscribes after.
  let lastEar: EarState | undefined;
  let socket: WebSocket | undefined;
  let retry = 250;
  const outbox: ClientMessage[] = [];

  const connect = () => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      retry = 250;
      // A new connection (the app restarted) starts with no ear state: main sends it if the option is on.
      if (lastEar !== undefined) {
        lastEar = undefined;
        for (const l of earListeners) l('off');
      }
      for (const message of outbox.splice(0)) ws.send(JSON.stringify(message));
    };
    ws.onmessage = (frame) => {
      const message = decodeServerMessage(frame.data as string | ArrayBuffer);
      if (message.type === 'pipeline') for (const l of eventListeners) l(message.event);
      // Only a page that sends requests is refused; the stream page shows no such message.
      else if (message.type === 'refused') console.warn(`Kiyo refused a request: ${message.message}`);
      else if (message.type === 'ear-state') {
        lastEar = message.state;
        for (const l of earListeners) l(message.state);
      } else {
        lastState = message.state;
        for (const l of stateListeners) l(message.state);
      }
    };
    ws.onclose = () => {
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    };
    socket = ws;
  };
  connect();

  const send = (message: ClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else outbox.push(message);
  };

  return {
    // Served by the browser/OBS server: what an audience sees, so avatar and subtitles only.
    kind: 'stream',
    async say(text): Promise<SayResult> {
      send({ type: 'say', text });
      return { ok: true, turnId: '' };
    },
    cancel: () => send({ type: 'cancel' }),
    reportPlaybackStarted: (report) => send({ type: 'playback-started', ...report }),
    reportPlaybackStopped: (report) => send({ type: 'playback-stopped', ...report }),
    reportPlaybackFinished: (report) => send({ type: 'playback-finished', ...report }),
    // Click-through belongs to the desktop overlay window; a browser tab has none to steer.
    setPointerOverAvatar: () => {},
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onOverlayState(listener) {
      stateListeners.add(listener);
      if (lastState) listener(lastState);
      return () => stateListeners.delete(listener);
    },
    onEarState(listener) {
      earListeners.add(listener);
      if (lastEar) listener(lastEar);
      return () => earListeners.delete(listener);
    },
  };
}
