import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import {
  logLevelSchema,
  overlayPatchSchema,
  PREFS_IPC,
  previewVoiceSchema,
  setHotkeySchema,
} from '../../shared/preferences-api';
import { isTrustedSender } from '../shell/secure-window';
import type { PreferencesService } from './preferences-service';

const PAGE = 'preferences.html';

/**
 * Preferences IPC: every handler first checks the call comes from the preferences page itself,
 * then validates its payload with the shared schemas; the service validates settings patches.
 */
export function registerPreferencesIpc(service: PreferencesService): void {
  const handle = <S extends z.ZodType>(channel: string, schema: S, run: (payload: z.infer<S>) => unknown) => {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame, PAGE)) throw new Error('not allowed from this page');
      const parsed = schema.safeParse(payload);
      if (!parsed.success)
        throw new Error(`invalid request: ${parsed.error.issues[0]?.message ?? 'bad payload'}`);
      return run(parsed.data);
    });
  };
  const none = z.undefined();
  handle(PREFS_IPC.getSettings, none, () => service.getSettings());
  handle(PREFS_IPC.updateSettings, z.record(z.string(), z.unknown()), (patch) =>
    service.updateSettings(patch),
  );
  handle(PREFS_IPC.resetSettings, none, () => service.resetSettings());
  handle(PREFS_IPC.listModels, none, () => service.listModels());
  handle(PREFS_IPC.testConnection, none, () => service.testConnection());
  handle(PREFS_IPC.listVoices, none, () => service.listVoices());
  handle(PREFS_IPC.previewVoice, previewVoiceSchema.shape.text, (text) => service.previewVoice(text));
  handle(PREFS_IPC.getOverlay, none, () => service.getOverlay());
  handle(PREFS_IPC.chooseAvatar, none, () => service.chooseAvatar());
  handle(PREFS_IPC.useDefaultAvatar, none, () => service.useDefaultAvatar());
  handle(PREFS_IPC.updateOverlay, overlayPatchSchema, (patch) => service.updateOverlay(patch));
  handle(PREFS_IPC.getLatency, none, () => service.getLatency());
  handle(PREFS_IPC.getAdvanced, none, () => service.getAdvanced());
  handle(PREFS_IPC.setLogLevel, logLevelSchema, (level) => service.setLogLevel(level));
  handle(PREFS_IPC.openLogsFolder, none, () => service.openLogsFolder());
  handle(PREFS_IPC.setHotkey, setHotkeySchema, (change) => service.setHotkey(change));
}
