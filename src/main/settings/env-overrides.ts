import type { PipelineSettings } from '../../shared/settings';

type Overridable = 'baseUrl' | 'model' | 'apiKey';
const VARIABLES: Record<Overridable, string> = {
  baseUrl: 'KIYO_LLM_BASE_URL',
  model: 'KIYO_LLM_MODEL',
  apiKey: 'KIYO_API_KEY',
};

/**
 * KIYO_LLM_BASE_URL / KIYO_LLM_MODEL / KIYO_API_KEY point a run at another server (the fakes,
 * say) without touching what the user saved: `apply` makes the settings used at run time,
 * `forStorage` puts the saved values back before anything is written.
 */
export function envOverrides(env: NodeJS.ProcessEnv = process.env) {
  const overridden = (Object.keys(VARIABLES) as Overridable[]).filter((key) => env[VARIABLES[key]]);
  return {
    active: overridden.map((key) => VARIABLES[key]),
    apply(settings: PipelineSettings): PipelineSettings {
      const llm = { ...settings.llm };
      for (const key of overridden) llm[key] = env[VARIABLES[key]]!;
      return { ...settings, llm };
    },
    forStorage(runtime: PipelineSettings, saved: PipelineSettings): PipelineSettings {
      const llm = { ...runtime.llm };
      for (const key of overridden) if (llm[key] === env[VARIABLES[key]]) llm[key] = saved.llm[key];
      return { ...runtime, llm };
    },
  };
}
