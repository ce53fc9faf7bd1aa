import { ipcMain, type IpcMainEvent } from 'electron';
import {
  IPC,
  playbackFinishedSchema,
  playbackStartedSchema,
  playbackStoppedSchema,
  sayRequestSchema,
  type SayResult,
} from '../../shared/ipc';
import type { TurnRunner } from '../pipeline/turn-runner';
import { isTrustedSender } from './secure-window';

const PAGE = 'index.html';

/**
 * What the overlay page may ask of the runner over IPC: say, cancel, and the player's reports.
 * Only the overlay page's own main frame is heard, and only with payloads that pass the shared
 * schemas; anything else is dropped. Returns the function that removes the handlers.
 */
export function registerOverlayIpc(runner: TurnRunner): () => void {
  const trusted = (event: { senderFrame: IpcMainEvent['senderFrame'] }) =>
    isTrustedSender(event.senderFrame, PAGE);

  ipcMain.handle(IPC.say, async (event, payload): Promise<SayResult> => {
    if (!trusted(event)) return { ok: false, error: 'untrusted sender' };
    const request = sayRequestSchema.safeParse(payload);
    if (!request.success)
      return { ok: false, error: 'Type something for Kiyo to answer (at most 4,000 characters).' };
    return { ok: true, turnId: await runner.say(request.data.text) };
  });
  const onCancel = (event: IpcMainEvent) => {
    if (trusted(event)) void runner.cancel();
  };
  const onPlaybackStopped = (event: IpcMainEvent, payload: unknown) => {
    const report = playbackStoppedSchema.safeParse(payload);
    if (trusted(event) && report.success)
      runner.playbackStopped(report.data.turnId, report.data.segmentsHeard);
  };
  const onPlaybackStarted = (event: IpcMainEvent, payload: unknown) => {
    const report = playbackStartedSchema.safeParse(payload);
    if (trusted(event) && report.success)
      runner.playbackStarted(report.data.turnId, report.data.afterChunkMs);
  };
  const onPlaybackFinished = (event: IpcMainEvent, payload: unknown) => {
    const report = playbackFinishedSchema.safeParse(payload);
    if (trusted(event) && report.success) runner.playbackFinished(report.data.turnId);
  };
  ipcMain.on(IPC.cancel, onCancel);
  ipcMain.on(IPC.playbackStopped, onPlaybackStopped);
  ipcMain.on(IPC.playbackStarted, onPlaybackStarted);
  ipcMain.on(IPC.playbackFinished, onPlaybackFinished);
  return () => {
    ipcMain.removeHandler(IPC.say);
    ipcMain.off(IPC.cancel, onCancel);
    ipcMain.off(IPC.playbackStopped, onPlaybackStopped);
    ipcMain.off(IPC.playbackStarted, onPlaybackStarted);
    ipcMain.off(IPC.playbackFinished, onPlaybackFinished);
  };
}
