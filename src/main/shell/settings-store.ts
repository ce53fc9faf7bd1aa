import Store from 'electron-store';
import { describeSettingsErrors, parsePipelineSettings, type PipelineSettings } from '../../shared/settings';
import type { Logger } from '../pipeline/logger';

/**
 * Loads the pipeline settings from electron-store, validated by the shared schema. Invalid values
 * fall back to their defaults (and are reported in the log) instead of stopping the app.
 * KIYO_LLM_BASE_URL / KIYO_LLM_MODEL / KIYO_API_KEY override the stored values, which is how the
 * app is pointed at `npm run fakes` during development.
 */
export function loadPipelineSettings(logger: Logger): PipelineSettings {
  const store = new Store<{ pipeline: unknown }>({ name: 'settings' });
  const stored = (store.get('pipeline') ?? {}) as Record<string, Record<string, unknown>>;
  const llm = {
    ...stored.llm,
    ...(process.env.KIYO_LLM_BASE_URL && { baseUrl: process.env.KIYO_LLM_BASE_URL }),
    ...(process.env.KIYO_LLM_MODEL && { model: process.env.KIYO_LLM_MODEL }),
    ...(process.env.KIYO_API_KEY && { apiKey: process.env.KIYO_API_KEY }),
  };
  const candidate = { ...stored, llm };
  const problems = describeSettingsErrors(candidate);
  if (problems.length === 0) return parsePipelineSettings(candidate);
  logger.warn(`invalid settings in ${store.path}, using defaults: ${problems.join('; ')}`);
  return parsePipelineSettings({});
}
