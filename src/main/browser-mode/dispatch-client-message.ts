import type { ClientMessage } from '../../shared/ws-protocol';
import type { TurnRunner } from '../pipeline/turn-runner';

/** What a browser/OBS page asks for, carried out exactly as the same request over Electron IPC. */
export function dispatchClientMessage(message: ClientMessage, runner: TurnRunner): void {
  switch (message.type) {
    case 'say':
      void runner.say(message.text);
      break;
    case 'cancel':
      void runner.cancel();
      break;
    case 'playback-started':
      runner.playbackStarted(message.turnId, message.afterChunkMs);
      break;
    case 'playback-stopped':
      runner.playbackStopped(message.turnId, message.segmentsHeard);
      break;
    case 'playback-finished':
      runner.playbackFinished(message.turnId);
      break;
  }
}
