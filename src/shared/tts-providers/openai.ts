import { z } from 'zod';
import { MP3, pcmAt } from '../audio-format';
import { apiKeyFields, baseUrlField } from '../url-fields';
import { defineProviderInfo } from './provider-info';

/** The formats Kiyo asks for: PCM starts soonest (no encoder delay), MP3 needs less bandwidth. */
export const OPENAI_SPEECH_FORMATS = ['pcm', 'mp3'] as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const openaiSpeechSettingsSchema = z.object({
  baseUrl: baseUrlField('for example http://localhost:8880/v1')
    .default('https://api.openai.com/v1')
    .describe(
      'Base URL of an OpenAI-compatible speech API (OpenAI, Kokoro-FastAPI, openedai-speech, LocalAI); Kiyo posts to <base URL>/audio/speech.',
    ),
  model: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default('gpt-4o-mini-tts')
    .describe('Speech model sent to the server (gpt-4o-mini-tts, tts-1, kokoro, …).'),
  voice: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default('alloy')
    .describe('Voice name the server knows (OpenAI: alloy, coral, nova, …; Kokoro: af_bella, …).'),
  speed: z.number().min(0.25).max(4).default(1).describe('Speaking speed (1 = normal, 2 = twice as fast).'),
  instructions: z
    .string()
    .max(2000)
    .default('')
    .describe(
      'How to speak (tone, accent, emotion), for models that take it (gpt-4o-mini-tts); empty = none.',
    ),
  responseFormat: z
    .enum(OPENAI_SPEECH_FORMATS)
    .default('pcm')
    .describe('Audio the server streams: pcm (raw 16-bit, lowest latency) or mp3.'),
  pcmSampleRate: int(8000, 48_000)
    .default(24_000)
    .describe("Sample rate of the server's pcm audio, in Hz (OpenAI: 24000; some local servers differ)."),
  ...apiKeyFields(),
  timeoutMs: int(1000, 60_000)
    .default(8000)
    .describe('ms without audio (before the first byte or between chunks) after which a clause fails.'),
});

export type OpenAiSpeechSettings = z.infer<typeof openaiSpeechSettingsSchema>;

export const openaiInfo = defineProviderInfo({
  id: 'openai',
  label: 'OpenAI-compatible voice',
  settings: openaiSpeechSettingsSchema,
  capabilities: {
    streamsWithinClause: true,
    voiceList: false,
    audio: (settings) => (settings.responseFormat === 'mp3' ? MP3 : pcmAt(settings.pcmSampleRate)),
  },
});
