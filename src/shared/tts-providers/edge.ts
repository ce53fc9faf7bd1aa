import { z } from 'zod';
import { MP3 } from '../audio-format';
import { defineProviderInfo } from './provider-info';

/**
 * The Edge formats Kiyo plays. Edge also offers webm-24khz-16bit-mono-opus, but Opus in WebM can
 * only be decoded a whole file at a time in a browser, which would cost the streaming start.
 */
export const EDGE_AUDIO_FORMATS = [
  'audio-24khz-48kbitrate-mono-mp3',
  'audio-24khz-96kbitrate-mono-mp3',
] as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const edgeSettingsSchema = z.object({
  voice: z
    .string()
    .regex(/^[a-z]{2,3}-[A-Za-z]{2,4}(-[A-Za-z]+)*-\w+Neural$/, 'an Edge voice name such as en-US-AnaNeural')
    .default('en-US-AnaNeural')
    .describe('Edge neural voice (ShortName).'),
  rate: int(-50, 100).default(0).describe('Speaking rate change, in percent (+20 = 20% faster).'),
  pitch: int(-50, 50).default(0).describe('Pitch change, in Hz.'),
  volume: int(-100, 0).default(0).describe('Volume change, in percent (0 = full volume).'),
  outputFormat: z
    .enum(EDGE_AUDIO_FORMATS)
    .default('audio-24khz-48kbitrate-mono-mp3')
    .describe('Audio format Edge streams.'),
  warmConnections: int(0, 4)
    .default(2)
    .describe('Connected TTS sockets kept ready so a clause never waits for a handshake.'),
  timeoutMs: int(1000, 60_000)
    .default(8000)
    .describe('ms without audio (before the first byte or between chunks) after which a clause fails.'),
});

export type EdgeSettings = z.infer<typeof edgeSettingsSchema>;

export const edgeInfo = defineProviderInfo({
  id: 'edge',
  label: 'Edge voice',
  settings: edgeSettingsSchema,
  capabilities: { streamsWithinClause: true, voiceList: true, audio: () => MP3 },
});
