import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { emotionActionSchema } from '../../shared/emotion-map';
import {
  logLevelSchema,
  overlayPatchSchema,
  PREFS_IPC,
  previewVoiceSchema,
  setHotkeySchema,
} from '../../shared/preferences-api';
import { SecretRegistry } from '../secrets/secret-registry';
import { isTrustedSender } from '../shell/secure-window';
import type { PreferencesService } from './preferences-service';

const PAGE = 'preferences.html';

/**
 * Preferences IPC: every handler first checks the call comes from the preferences page itself,
 * then validates its payload with the shared schemas; the service validates settings patches.
 * Every answer passes `secrets` on its way out: error texts from upstreams (model list, connection
 * test, voice list) may quote the API key or a URL password.
 */
export function registerPreferencesIpc(
  service: PreferencesService,
  /** Main's one registry (the logger's); a fresh one still hides anything shaped like a key. */
  secrets: SecretRegistry = new SecretRegistry(),
): void {
  const handle = <S extends z.ZodType>(channel: string, schema: S, run: (payload: z.infer<S>) => unknown) => {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame, PAGE)) throw new Error('not allowed from this page');
      const parsed = schema.safeParse(payload);
      if (!parsed.success)
        throw new Error(`invalid request: ${parsed.error.issues[0]?.message ?? 'bad payload'}`);
      const fail = (error: unknown): never => {
        throw new Error(secrets.redact(error instanceof Error ? error.message : String(error)));
      };
      let result: unknown;
      try {
        result = run(parsed.data);
      } catch (error) {
        return fail(error);
      }
      return result instanceof Promise
        ? result.then((value: unknown) => secrets.redactDeep(value), fail)
        : secrets.redactDeep(result);
    });
  };
  const none = z.undefined();
  handle(PREFS_IPC.getSettings, none, () => service.getSettings());
  handle(PREFS_IPC.updateSettings, z.record(z.string(), z.unknown()), (patch) =>
    service.updateSettings(patch),
  );
  handle(PREFS_IPC.confirmApiKeyOrigin, none, () => service.confirmApiKeyOrigin());
  handle(PREFS_IPC.resetSettings, none, () => service.resetSettings());
  handle(PREFS_IPC.listModels, none, () => service.listModels());
  handle(PREFS_IPC.testConnection, none, () => service.testConnection());
  handle(PREFS_IPC.listVoices, none, () => service.listVoices());
  handle(PREFS_IPC.previewVoice, previewVoiceSchema.shape.text, (text) => service.previewVoice(text));
  handle(PREFS_IPC.getOverlay, none, () => service.getOverlay());
  handle(PREFS_IPC.chooseAvatar, none, () => service.chooseAvatar());
  handle(PREFS_IPC.useDefaultAvatar, none, () => service.useDefaultAvatar());
  handle(PREFS_IPC.updateOverlay, overlayPatchSchema, (patch) => service.updateOverlay(patch));
  handle(PREFS_IPC.getAvatarCatalog, none, () => service.getAvatarCatalog());
  handle(PREFS_IPC.previewAvatar, emotionActionSchema, (action) => service.previewAvatar(action));
  handle(PREFS_IPC.getLatency, none, () => service.getLatency());
  handle(PREFS_IPC.getAdvanced, none, () => service.getAdvanced());
  handle(PREFS_IPC.setLogLevel, logLevelSchema, (level) => service.setLogLevel(level));
  handle(PREFS_IPC.openLogsFolder, none, () => service.openLogsFolder());
  handle(PREFS_IPC.setHotkey, setHotkeySchema, (change) => service.setHotkey(change));
  handle(PREFS_IPC.getVoiceStatus, none, () => service.getVoiceStatus());
}
