import type { PipelineSettings } from '../../shared/settings';
import { PROVIDER_KEY_GROUPS } from './provider-key-groups';

/**
 * `defaults` with every API key the user saved, each still bound to the origin it was entered
 * for: "reset to defaults" restores how Kiyo behaves, not credentials the user would have to find
 * and paste again (the LLM's, and every keyed voice and speech-to-text provider's, walked through
 * PROVIDER_KEY_GROUPS so a new keyed provider needs nothing here).
 */
export function keepSavedKeys(defaults: PipelineSettings, current: PipelineSettings): PipelineSettings {
  const kept = structuredClone(defaults);
  kept.llm.apiKey = current.llm.apiKey;
  kept.llm.apiKeyOrigin = current.llm.apiKeyOrigin;
  for (const group of PROVIDER_KEY_GROUPS) {
    for (const id of group.ids) {
      const slot = group.slot(kept, id);
      const saved = group.slot(current, id);
      slot.apiKey = saved.apiKey;
      slot.apiKeyOrigin = saved.apiKeyOrigin;
    }
  }
  return kept;
}
