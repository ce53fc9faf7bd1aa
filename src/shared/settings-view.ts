import type { LlmSettings, PipelineSettings } from './settings';

/**
 * The settings as the renderer sees them. The API key never crosses into the renderer: `apiKey`
 * is always '' and `apiKeySet` says whether one is stored, so the form can show "••••" and send
 * the key back only when the user types a new one.
 */
export type RendererSettings = Omit<PipelineSettings, 'llm'> & {
  llm: LlmSettings & { apiKeySet: boolean };
};
