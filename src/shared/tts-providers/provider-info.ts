import type { z } from 'zod';
import type { StreamAudioFormat } from '../audio-format';

/**
 * What a speech provider declares about itself, with no Node code: the settings schema (whose
 * `.describe()` texts make its Preferences form and its part of docs/settings.md) and what it can
 * do. The renderer imports these; the engines that go with them are in each folder's index.ts.
 */
export interface TtsProviderInfo<Id extends string = string, Schema extends z.ZodObject = z.ZodObject> {
  id: Id;
  /** Shown in Preferences and in messages: "The <label> is unreachable; …". */
  label: string;
  settings: Schema;
  capabilities: {
    /** Audio of one clause arrives in pieces as it is synthesised (else all at once, at its end). */
    streamsWithinClause: boolean;
    /** The provider can list its voices (Preferences shows a list instead of a text field). */
    voiceList: boolean;
    /** The audio its engine emits with these settings. */
    audio(settings: z.infer<Schema>): StreamAudioFormat;
  };
}

export function defineProviderInfo<Id extends string, Schema extends z.ZodObject>(
  info: TtsProviderInfo<Id, Schema>,
): TtsProviderInfo<Id, Schema> {
  return info;
}
