import type { OpenAiTranscriptionSettings } from './openai';

/** Services that speak the OpenAI transcription API, for the Listening section's preset menu. */
export interface SttPreset {
  id: string;
  label: string;
  values: Pick<OpenAiTranscriptionSettings, 'baseUrl' | 'model'>;
  needsKey: boolean;
}

export const STT_PRESETS: readonly SttPreset[] = [
  {
    id: 'openai-mini',
    label: 'OpenAI — gpt-4o-mini-transcribe',
    values: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini-transcribe' },
    needsKey: true,
  },
  {
    id: 'openai-whisper',
    label: 'OpenAI — whisper-1',
    values: { baseUrl: 'https://api.openai.com/v1', model: 'whisper-1' },
    needsKey: true,
  },
  {
    id: 'groq',
    label: 'Groq — whisper-large-v3-turbo',
    values: { baseUrl: 'https://api.groq.com/openai/v1', model: 'whisper-large-v3-turbo' },
    needsKey: true,
  },
  {
    id: 'speaches',
    label: 'speaches / faster-whisper (this computer)',
    values: { baseUrl: 'http://localhost:8000/v1', model: 'Systran/faster-whisper-small' },
    needsKey: false,
  },
  {
    id: 'localai',
    label: 'LocalAI (this computer)',
    values: { baseUrl: 'http://localhost:8080/v1', model: 'whisper-1' },
    needsKey: false,
  },
];

/** The preset these settings match, if any. */
export function sttPresetOf(settings: Pick<OpenAiTranscriptionSettings, 'baseUrl' | 'model'>) {
  return STT_PRESETS.find((p) => p.values.baseUrl === settings.baseUrl && p.values.model === settings.model);
}
