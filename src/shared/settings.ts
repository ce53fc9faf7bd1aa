import { z } from 'zod';
import { settingLabel } from './settings-view';

/**
 * The one settings schema: every knob of the pipeline, with its unit, range and default.
 * Main, preload, renderer, the CLI and the benchmark all validate against this.
 * `describe()` texts are the one-line explanations shown in preferences and docs/settings.md.
 */

export const DEFAULT_PERSONA = [
  'You are {{name}}, a playful, teasing virtual streamer who chats with the user out loud.',
  'Your replies are spoken by a text-to-speech voice, so keep them short (one to three sentences),',
  'conversational and easy to say: no lists, no markdown, no code, no emoji.',
  'You may put a brief stage action between single asterisks, like *grins*; it is shown, not spoken.',
].join(' ');

/**
 * The Edge formats Kiyo plays. Edge also offers webm-24khz-16bit-mono-opus, but Opus in WebM can
 * only be decoded a whole file at a time in a browser, which would cost the streaming start.
 */
export const AUDIO_FORMATS = ['audio-24khz-48kbitrate-mono-mp3', 'audio-24khz-96kbitrate-mono-mp3'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** Raw 16-bit PCM at 24 kHz: what the built-in offline voice produces (Edge's name for it). */
export const PCM_FORMAT = 'raw-24khz-16bit-mono-pcm' as const;
export const PCM_SAMPLE_RATE = 24_000;
/** Any audio a turn can carry: the configured Edge format, or PCM from the offline fallback. */
export type StreamAudioFormat = AudioFormat | typeof PCM_FORMAT;

/** MIME type of each format, for the renderer's decoder and for files written by the CLI. */
export const AUDIO_MIME: Record<AudioFormat, string> = {
  'audio-24khz-48kbitrate-mono-mp3': 'audio/mpeg',
  'audio-24khz-96kbitrate-mono-mp3': 'audio/mpeg',
};

export const AUDIO_EXTENSION: Record<AudioFormat, string> = {
  'audio-24khz-48kbitrate-mono-mp3': 'mp3',
  'audio-24khz-96kbitrate-mono-mp3': 'mp3',
};

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** A cross-field rule in the words of the form: the fields' labels, not their keys. */
const atLeast = (key: string, than: string) =>
  `"${settingLabel(key)}" must be at least "${settingLabel(than)}"`;

/** Why a base URL is refused, with what to type instead (a missing scheme is the usual slip). */
function urlProblem(input: unknown): string {
  const example = 'for example http://localhost:11434/v1';
  const text = typeof input === 'string' ? input.trim() : '';
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(text)) return `Add http:// or https:// — ${example}`;
  if (!/^https?:/i.test(text)) return `Use an http:// or https:// address — ${example}`;
  return `Not a valid web address — ${example}`;
}

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
});

/** Visible ASCII only: a space, line break or control character would break the Authorization header. */
const API_KEY_CHARACTERS = /^[\x21-\x7e]*$/;

/** True for a URL that carries a user name or password (`https://user:pass@host`). */
function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

export const llmSchema = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/, error: (issue) => urlProblem(issue.input) })
    .refine((url) => !hasCredentials(url), {
      message:
        'a base URL cannot contain a user name or password (user:pass@); put the API key in the API key field',
    })
    .default('https://api.openai.com/v1')
    .describe('OpenAI-compatible API base URL (OpenAI, Ollama, LM Studio, llama.cpp server).'),
  model: z.string().trim().min(1).max(200).default('gpt-4o-mini').describe('Model name sent to the server.'),
  apiKey: z
    .string()
    .max(500)
    .regex(API_KEY_CHARACTERS, {
      message:
        'an API key has no spaces, line breaks or other invisible characters; copy it again and paste only the key',
    })
    .default('')
    .describe('API key; empty for local servers. Stored encrypted by the desktop app, never in plain text.'),
  apiKeyOrigin: z
    .string()
    .max(300)
    .default('')
    .describe(
      'Origin (scheme://host:port) the API key was entered or confirmed for; the key is sent to no other server. Set by the app.',
    ),
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

export const ttsSchema = z.object({
  voice: z
    .string()
    .regex(/^[a-z]{2,3}-[A-Za-z]{2,4}(-[A-Za-z]+)*-\w+Neural$/, 'an Edge voice name such as en-US-AnaNeural')
    .default('en-US-AnaNeural')
    .describe('Edge neural voice (ShortName).'),
  rate: int(-50, 100).default(0).describe('Speaking rate change, in percent (+20 = 20% faster).'),
  pitch: int(-50, 50).default(0).describe('Pitch change, in Hz.'),
  volume: int(-100, 0).default(0).describe('Volume change, in percent (0 = full volume).'),
  outputFormat: z
    .enum(AUDIO_FORMATS)
    .default('audio-24khz-48kbitrate-mono-mp3')
    .describe('Audio format Edge streams.'),
  warmConnections: int(0, 4)
    .default(2)
    .describe('Connected TTS sockets kept ready so a clause never waits for a handshake.'),
  timeoutMs: int(1000, 60_000)
    .default(8000)
    .describe('ms without audio (before the first byte or between chunks) after which a clause fails.'),
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
      .default(60)
      .describe('Without a boundary, the first clause is cut at a word boundary at this many characters.'),
    firstSegmentBudgetMs: int(0, 10_000)
      .default(700)
      .describe(
        'ms after the first token after which the first clause is released at the last word, boundary or not (0 = off).',
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
});

export type CharacterSettings = z.infer<typeof characterSchema>;
export type LlmSettings = z.infer<typeof llmSchema>;
export type TtsSettings = z.infer<typeof ttsSchema>;
export type StreamingSettings = z.infer<typeof streamingSchema>;
export type PipelineSettings = z.infer<typeof pipelineSettingsSchema>;

/** Deep-partial input accepted by {@link parsePipelineSettings}. */
export type PipelineSettingsInput = z.input<typeof pipelineSettingsSchema>;

/** The system prompt as sent: the persona with the character's name filled in. */
export function systemPromptOf(character: CharacterSettings): string {
  return character.systemPrompt.replaceAll('{{name}}', character.name);
}

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
