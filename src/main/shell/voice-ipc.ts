import { ipcMain, type IpcMainEvent } from 'electron';
import { IPC } from '../../shared/ipc';
import { utteranceSchema, voiceStatusSchema, type VoiceStatus } from '../../shared/voice-input';
import type { Logger } from '../pipeline/logger';
import type { TurnRunner } from '../pipeline/turn-runner';
import { isTrustedSender } from './secure-window';

const PAGE = 'index.html';

/**
 * The overlay page's ear, heard over IPC: finished utterances (a voice turn each), "retry the one
 * that failed", and the ear's status for Preferences. Only the overlay page's own main frame is
 * heard (the microphone is granted to it alone), only with payloads that pass voice-input.ts's
 * schemas; anything else is dropped. Returns the function that removes the handlers.
 */
export function registerVoiceIpc(
  runner: Pick<TurnRunner, 'hear' | 'retryUtterance'>,
  options: { onStatus(status: VoiceStatus): void; logger: Logger },
): () => void {
  const trusted = (event: IpcMainEvent) => isTrustedSender(event.senderFrame, PAGE);
  const onUtterance = (event: IpcMainEvent, payload: unknown) => {
    if (!trusted(event)) return;
    const utterance = utteranceSchema.safeParse(payload);
    if (!utterance.success) {
      options.logger.warn(`an utterance from the overlay was refused: ${utterance.error.issues[0]?.message}`);
      return;
    }
    void runner.hear(utterance.data);
  };
  const onRetry = (event: IpcMainEvent) => {
    if (trusted(event)) void runner.retryUtterance();
  };
  const onStatus = (event: IpcMainEvent, payload: unknown) => {
    const status = voiceStatusSchema.safeParse(payload);
    if (trusted(event) && status.success) options.onStatus(status.data);
  };
  ipcMain.on(IPC.utterance, onUtterance);
  ipcMain.on(IPC.retryUtterance, onRetry);
  ipcMain.on(IPC.voiceStatus, onStatus);
  return () => {
    ipcMain.off(IPC.utterance, onUtterance);
    ipcMain.off(IPC.retryUtterance, onRetry);
    ipcMain.off(IPC.voiceStatus, onStatus);
  };
}
