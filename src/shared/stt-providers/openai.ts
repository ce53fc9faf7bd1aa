import { z } from 'zod';
import { apiKeyFields, baseUrlField } from '../url-fields';
import { defineSttProviderInfo } from './provider-info';

/**
 * Any server that speaks OpenAI's `POST {baseUrl}/audio/transcriptions`: OpenAI itself (whisper-1,
 * gpt-4o-mini-transcribe), Groq, and local ones (speaches / faster-whisper-server, LocalAI, …).
 */
export const openaiTranscriptionSettingsSchema = z.object({
  baseUrl: baseUrlField('for example http://localhost:8000/v1')
    .default('https://api.openai.com/v1')
    .describe(
      'Base URL of an OpenAI-compatible speech-to-text API (OpenAI, Groq, speaches, LocalAI); Kiyo posts to <base URL>/audio/transcriptions.',
    ),
  model: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default('gpt-4o-mini-transcribe')
    .describe(
      'Transcription model sent to the server (whisper-1, gpt-4o-mini-transcribe, whisper-large-v3-turbo, Systran/faster-whisper-small, …).',
    ),
  language: z
    .string()
    .trim()
    .regex(/^([a-z]{2,3})?$/, { message: 'a language code such as en, ja or de, or empty for auto' })
    .default('')
    .describe(
      'Language you speak, as an ISO 639-1 code (en, ja, de, …); empty = the service detects it (slightly slower and less sure on short phrases).',
    ),
  ...apiKeyFields(),
  timeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(60_000)
    .default(10_000)
    .describe('ms to wait for the transcript of one utterance before giving up on it (it can be retried).'),
});

export type OpenAiTranscriptionSettings = z.infer<typeof openaiTranscriptionSettingsSchema>;

export const openaiSttInfo = defineSttProviderInfo({
  id: 'openai',
  label: 'OpenAI-compatible speech-to-text',
  settings: openaiTranscriptionSettingsSchema,
});
