import type { Conversation } from '../../src/main/pipeline/conversation';
import type { Logger } from '../../src/main/pipeline/logger';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
import { PreferencesService, type PreferencesDeps } from '../../src/main/preferences/preferences-service';
import type { EdgeVoice } from '../../src/shared/preferences-api';
import type { PipelineSettings } from '../../src/shared/settings';

/**
 * A PreferencesService for tests about settings, keys and upstream errors: the real service with
 * the window-only parts (overlay, hotkeys, dialogs) stubbed out, and what it saves recorded.
 */
export function preferencesService(
  conversation: Conversation,
  logger: Logger,
  options: { fetchVoices?: () => Promise<EdgeVoice[]>; runner?: TurnRunner } = {},
): { service: PreferencesService; saved: PipelineSettings[]; runner: TurnRunner } {
  const saved: PipelineSettings[] = [];
  const runner = options.runner ?? new TurnRunner(conversation, () => {}, logger);
  const deps = {
    conversation,
    runner,
    save: (settings: PipelineSettings) => {
      saved.push(settings);
      return { keyPersisted: true };
    },
    logger,
    fetchVoices: options.fetchVoices ?? (async () => []),
    problems: { onChange: () => () => {}, list: () => [], record: () => {} },
    overlay: {},
    chooseModel: async () => {},
    advanced: { logsFolder: '', settingsFile: '', notices: [] },
    hotkeys: { list: () => [], set: () => [] },
    openLogsFolder: async () => {},
    notify: () => {},
  } as unknown as PreferencesDeps;
  return { service: new PreferencesService(deps), saved, runner };
}
