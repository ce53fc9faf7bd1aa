import { originOf } from '../../shared/origin';
import { z } from 'zod';
import { llmSchema, type PipelineSettings } from '../../shared/settings';
import { baseUrlField } from '../../shared/url-fields';
import type { Logger } from '../pipeline/logger';

type Overridable = 'baseUrl' | 'model' | 'apiKey';
const VARIABLES: Record<Overridable, string> = {
  baseUrl: 'KIYO_LLM_BASE_URL',
  model: 'KIYO_LLM_MODEL',
  apiKey: 'KIYO_API_KEY',
};

type SttProviders = PipelineSettings['stt']['providers'];
/** A speech-to-text provider's base URL field (every provider declares one). */
const sttSlot = (providers: SttProviders, id: string) =>
  providers[id as keyof SttProviders] as { baseUrl: string };

/**
 * KIYO_LLM_BASE_URL / KIYO_LLM_MODEL / KIYO_API_KEY (and KIYO_STT_BASE_URL) point a run at another server (the fakes,
 * say) without touching what the user saved: `apply` makes the settings used at run time,
 * `forStorage` puts the saved values back before anything is written. Each value must pass the
 * same schema as the setting it replaces; one that does not is ignored and logged (without the
 * value, which may be a key), so the environment cannot smuggle in what Preferences would refuse.
 */
export function envOverrides(env: NodeJS.ProcessEnv = process.env, logger?: Logger) {
  const values: Partial<Record<Overridable, string>> = {};
  for (const key of Object.keys(VARIABLES) as Overridable[]) {
    const raw = env[VARIABLES[key]];
    if (!raw) continue;
    const checked = llmSchema.shape[key].safeParse(raw);
    if (checked.success) values[key] = checked.data;
    else
      logger?.warn(
        `${VARIABLES[key]} is ignored: ${checked.error.issues[0]?.message ?? 'not a valid value'}; the saved setting is used`,
      );
  }
  const overridden = Object.keys(values) as Overridable[];
  // Where the Edge service and its voice list are (the fakes, in tests and `npm run fakes`).
  const endpoint = (variable: string, schema: z.ZodType<string>): string | undefined => {
    const raw = env[variable];
    if (!raw) return undefined;
    const checked = schema.safeParse(raw);
    if (checked.success) return checked.data;
    logger?.warn(`${variable} is ignored: ${checked.error.issues[0]?.message ?? 'not a valid URL'}`);
    return undefined;
  };
  // The transcription service in use (the fake one of `npm run fakes`). No key variable: a saved
  // key stays bound to its own origin and is not sent there.
  const sttUrl = endpoint('KIYO_STT_BASE_URL', baseUrlField('for example http://127.0.0.1:8000/v1'));
  return {
    active: [...overridden.map((key) => VARIABLES[key]), ...(sttUrl ? ['KIYO_STT_BASE_URL'] : [])],
    /** KIYO_TTS_ENDPOINT, when it is a ws:// or wss:// URL. */
    ttsEndpoint: endpoint('KIYO_TTS_ENDPOINT', z.url({ protocol: /^wss?$/ })),
    /** KIYO_TTS_VOICES_URL, when it is an http:// or https:// URL. */
    voicesUrl: endpoint('KIYO_TTS_VOICES_URL', z.url({ protocol: /^https?$/ })),
    apply(settings: PipelineSettings): PipelineSettings {
      const llm = { ...settings.llm, ...values };
      // KIYO_API_KEY is meant for the server this run talks to; a saved key keeps its own binding.
      if (values.apiKey) llm.apiKeyOrigin = originOf(llm.baseUrl);
      if (!sttUrl) return { ...settings, llm };
      const stt = structuredClone(settings.stt);
      sttSlot(stt.providers, stt.provider).baseUrl = sttUrl;
      return { ...settings, llm, stt };
    },
    forStorage(runtime: PipelineSettings, saved: PipelineSettings): PipelineSettings {
      const llm = { ...runtime.llm };
      for (const key of overridden) if (llm[key] === values[key]) llm[key] = saved.llm[key];
      if (values.apiKey && llm.apiKey === saved.llm.apiKey) llm.apiKeyOrigin = saved.llm.apiKeyOrigin;
      if (!sttUrl) return { ...runtime, llm };
      // Whichever provider still has the run's URL gets its saved one back (the user may have
      // switched providers during the run; a URL they typed themselves is kept).
      const stt = structuredClone(runtime.stt);
      for (const id of Object.keys(stt.providers)) {
        const slot = sttSlot(stt.providers, id);
        if (slot.baseUrl === sttUrl) slot.baseUrl = sttSlot(saved.stt.providers, id).baseUrl;
      }
      return { ...runtime, llm, stt };
    },
  };
}
