import type { z } from 'zod';

/**
 * What a speech-to-text provider declares about itself, with no Node code: its settings schema
 * (whose `.describe()` texts make its Preferences form and its part of docs/settings.md). The
 * transcribers that go with these are in src/main/pipeline/stt/registry.ts.
 */
export interface SttProviderInfo<Id extends string = string, Schema extends z.ZodObject = z.ZodObject> {
  id: Id;
  /** Shown in Preferences and in messages. */
  label: string;
  settings: Schema;
}

export function defineSttProviderInfo<Id extends string, Schema extends z.ZodObject>(
  info: SttProviderInfo<Id, Schema>,
): SttProviderInfo<Id, Schema> {
  return info;
}
