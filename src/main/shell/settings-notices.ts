import { dialog } from 'electron';
import type { Logger } from '../pipeline/logger';
import type { SettingsLoadResult } from '../settings/settings-file-store';

/** What the user should know about how the settings were loaded (also in Preferences → Advanced). */
export function settingsNotices(loaded: SettingsLoadResult): string[] {
  return [
    ...(loaded.corrupt ? ['The settings file could not be read, so the defaults are in use.'] : []),
    ...loaded.resetFields,
    ...(loaded.backupPath ? [`The original settings file was kept as ${loaded.backupPath}.`] : []),
    ...(loaded.keyPersisted
      ? []
      : ['This system offers no secure storage: the API key is kept only until Kiyo quits.']),
  ];
}

/** A settings file that was unreadable or partly invalid is said at start, in a dialog. */
export function warnAboutSettings(loaded: SettingsLoadResult, notices: string[], logger: Logger): void {
  if (!loaded.corrupt && loaded.resetFields.length === 0) return;
  void dialog.showMessageBox({
    type: 'warning',
    message: loaded.corrupt
      ? 'Kiyo could not read its settings file'
      : 'Some settings were invalid and were reset',
    // A repaired base URL or key note may quote what was in the file: one redaction for every exit.
    detail: logger.secrets.redact(notices.join('\n')),
  });
}
