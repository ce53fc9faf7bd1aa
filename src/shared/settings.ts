import { z } from 'zod';
import { chatSchema } from './chat-settings';
import { DEFAULT_EMOTION_TAGS, emotionTagsField } from './emotion-tags';
import { DEFAULT_PERSONA } from './persona';
import { firstSoundSchema, phraseCacheSchema } from './phrase-settings';
import {
  TTS_PROVIDER_IDS,
  TTS_PROVIDER_INFOS,
  type TtsProviderId,
  type TtsProviderSchemas,
} from './tts-providers/catalog';
import { settingLabel } from './settings-view';
import { STT_PROVIDER_IDS, STT_PROVIDER_INFOS, type SttProviderSchemas } from './stt-providers/catalog';
import { voiceInputSchema } from './voice-input';
import { apiKeyFields, baseUrlField } from './url-fields';

/**
 * The one settings schema: every knob of the pipeline, with its unit, range and default.
 * Main, preload, renderer, the CLI and the benchmark all validate against this.
 * `describe()` texts are the one-line explanations shown in preferences and docs/settings.md.
 */

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** A cross-field rule in the words of the form: the fields' labels, not their keys. */
const atLeast = (key: string, than: string) =>
  `"${settingLabel(key)}" must be at least "${settingLabel(than)}"`;

export const characterSchema = z.object({
  name: z.string().trim().min(1).max(40).default('Kiyo').describe('Name the character answers to.'),
  systemPrompt: z
    .string()
    .trim()
    .min(1)
    .max(8000)
    .default(DEFAULT_PERSONA)
    .describe('Persona / system prompt sent before every conversation; {{name}} stands for the name above.'),
  historyMaxMessages: int(0, 200)
    .default(20)
    .describe('Messages (user + assistant) of past conversation kept and sent with each turn.'),
  emotionTags: emotionTagsField
    .default(DEFAULT_EMOTION_TAGS)
    .describe(
      'Emotions the model marks its reply with, as tags like [joy] before what it says (names separated by spaces; empty = no tags). The tags are never spoken or shown: the avatar takes the expression when that part is heard.',
    ),
});

export const llmSchema = z.object({
  baseUrl: baseUrlField('for example http://localhost:11434/v1')
    .default('https://api.openai.com/v1')
    .describe('OpenAI-compatible API base URL (OpenAI, Ollama, LM Studio, llama.cpp server).'),
  model: z.string().trim().min(1).max(200).default('gpt-4o-mini').describe('Model name sent to the server.'),
  ...apiKeyFields(),
  temperature: z.number().min(0).max(2).default(0.8).describe('Sampling temperature.'),
  maxTokens: int(16, 8192).default(300).describe('Upper bound on tokens in one reply.'),
  maxRetries: int(0, 5)
    .default(2)
    .describe('Retries (with backoff) after HTTP 429/5xx or a dropped connection.'),
  maxRetryWaitMs: int(0, 60_000)
    .default(5000)
    .describe(
      'Longest wait a server may ask for (Retry-After) before a retry, in ms; a server asking for more fails the reply at once.',
    ),
  maxReplyChars: int(100, 100_000)
    .default(4000)
    .describe(
      'Characters of one reply that are shown and spoken; a longer reply is stopped there (servers may ignore maxTokens).',
    ),
  stallTimeoutMs: int(1000, 120_000)
    .default(15_000)
    .describe(
      'ms without any token (before the first or between tokens) after which the reply is abandoned.',
    ),
});

type ProviderSection = { [Id in TtsProviderId]: z.ZodPrefault<TtsProviderSchemas[Id]> };

/**
 * The voice: which provider speaks, which take over in turn when it fails, and each provider's
 * own settings (declared in src/shared/tts-providers).
 */
export const ttsSchema = z.object({
  provider: z
    .enum(TTS_PROVIDER_IDS)
    .default('edge')
    .describe(
      `Voice service that speaks the replies: ${TTS_PROVIDER_INFOS.map((i) => `${i.id} (${i.label})`).join(', ')}.`,
    ),
  fallback: z
    .array(z.enum(TTS_PROVIDER_IDS))
    .max(TTS_PROVIDER_IDS.length)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'a voice service is listed twice' })
    .default(['offline'])
    .describe(
      'Voice services tried in this order when the one before fails; the failed one is tried again in the background.',
    ),
  providers: z
    .object(
      Object.fromEntries(
        TTS_PROVIDER_INFOS.map((info) => [info.id, (info.settings as z.ZodObject).prefault({})]),
      ) as ProviderSection,
    )
    .prefault({}),
});

type SttProviderSection = { [Id in keyof SttProviderSchemas]: z.ZodPrefault<SttProviderSchemas[Id]> };

/** Speech to text: which service transcribes what you say, and each one's settings (src/shared/stt-providers). */
export const sttSchema = z.object({
  provider: z
    .enum(STT_PROVIDER_IDS)
    .default('openai')
    .describe(
      `Speech-to-text service that transcribes what you say: ${STT_PROVIDER_INFOS.map((i) => `${i.id} (${i.label})`).join(', ')}.`,
    ),
  providers: z
    .object(
      Object.fromEntries(
        STT_PROVIDER_INFOS.map((info) => [info.id, (info.settings as z.ZodObject).prefault({})]),
      ) as SttProviderSection,
    )
    .prefault({}),
});

export const streamingSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Speak while the reply is still being written. Off = traditional mode: wait for the whole reply.',
      ),
    firstSegmentMinChars: int(1, 200)
      .default(4)
      .describe(
        'The first clause is released at a clause boundary once it has at least this many characters.',
      ),
    firstSegmentMaxChars: int(10, 400)
      .default(120)
      .describe(
        'Ceiling for fast models: a first clause still without punctuation at this length is cut at the best pause before it. At usual speeds the time budget below acts first.',
      ),
    firstSegmentBudgetMs: int(0, 10_000)
      .default(500)
      .describe(
        'How long after the first token the first clause may wait for its punctuation; this is the limit that acts (0 = off: only the length ceiling). Then it is cut where a speaker would pause (before "and", "which", "for"…, between words in Chinese and Japanese), waiting up to three more words for such a place.',
      ),
    segmentMinChars: int(1, 400)
      .default(24)
      .describe(
        "Later segments end at a sentence boundary once they have at least this many characters (the 2nd, 3rd… ramp up to it from the first segment's minimum, doubling).",
      ),
    segmentMaxChars: int(20, 2000)
      .default(200)
      .describe('Later segments longer than this are cut at the last clause or word boundary.'),
    synthesisAhead: int(1, 8)
      .default(3)
      .describe(
        'Segments synthesised in parallel (the playing one included); audio is still delivered in order.',
      ),
    audioChunkBytes: int(512, 1_048_576)
      .default(16_384)
      .describe(
        'Largest audio message sent to the player; audio already received is merged up to this size, never held back.',
      ),
  })
  .refine((s) => s.firstSegmentMaxChars >= s.firstSegmentMinChars, {
    message: atLeast('firstSegmentMaxChars', 'firstSegmentMinChars'),
    path: ['firstSegmentMaxChars'],
  })
  .refine((s) => s.segmentMaxChars >= s.segmentMinChars, {
    message: atLeast('segmentMaxChars', 'segmentMinChars'),
    path: ['segmentMaxChars'],
  });

export const pipelineSettingsSchema = z.object({
  character: characterSchema.prefault({}),
  llm: llmSchema.prefault({}),
  tts: ttsSchema.prefault({}),
  streaming: streamingSchema.prefault({}),
  /** The microphone and voice activity detection (the overlay page's ear). */
  listen: voiceInputSchema.prefault({}),
  stt: sttSchema.prefault({}),
  /** The phrase cache and the instant first sound (src/shared/phrase-settings.ts). */
  phraseCache: phraseCacheSchema.prefault({}),
  firstSound: firstSoundSchema.prefault({}),
  /** Live chat: sources, which messages are answered, moderation (src/shared/chat-settings.ts). */
  chat: chatSchema.prefault({}),
});

export type LlmSettings = z.infer<typeof llmSchema>;
export type TtsSettings = z.infer<typeof ttsSchema>;
export type TtsProvidersSettings = TtsSettings['providers'];
export type StreamingSettings = z.infer<typeof streamingSchema>;
export type SttSettings = z.infer<typeof sttSchema>;
export type { ChatSettings } from './chat-settings';
export type PipelineSettings = z.infer<typeof pipelineSettingsSchema>;

/** Deep-partial input accepted by {@link parsePipelineSettings}. */
export type PipelineSettingsInput = z.input<typeof pipelineSettingsSchema>;

export function defaultPipelineSettings(): PipelineSettings {
  return pipelineSettingsSchema.parse({});
}

export function parsePipelineSettings(input: unknown): PipelineSettings {
  return pipelineSettingsSchema.parse(input);
}

/** Human-readable list of what is wrong with a settings object, one line per problem. */
export function describeSettingsErrors(input: unknown): string[] {
  const result = pipelineSettingsSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
