import { z } from 'zod';
import { pcmAt } from '../audio-format';
import { defineProviderInfo } from './provider-info';

/** espeak-ng writes 22.05 kHz; the engine declares that rate instead of resampling. */
export const ESPEAK_SAMPLE_RATE = 22_050;

export const offlineSettingsSchema = z.object({
  voice: z
    .string()
    .regex(/^(auto|[a-z]{2,3}(-[a-z0-9]+)*)$/, 'auto, or an espeak-ng voice such as en-us, ja, cmn')
    .default('auto')
    .describe(
      'espeak-ng voice (en-us, en-gb, ja, cmn, ko, …); auto picks one from the script of each sentence.',
    ),
  speed: z
    .number()
    .int()
    .min(80)
    .max(450)
    .default(175)
    .describe("Speaking speed, in words per minute (espeak-ng's default is 175)."),
});

export type OfflineSettings = z.infer<typeof offlineSettingsSchema>;

export const offlineInfo = defineProviderInfo({
  id: 'offline',
  label: 'offline voice',
  settings: offlineSettingsSchema,
  capabilities: { streamsWithinClause: false, voiceList: false, audio: () => pcmAt(ESPEAK_SAMPLE_RATE) },
});
