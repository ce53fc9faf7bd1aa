import { defineProvider } from '../provider';
import { OpenAiSpeechEngine } from './openai-speech-engine';
import { openaiInfo } from '../../../../../shared/tts-providers/openai';

export const openaiProvider = defineProvider(
  openaiInfo,
  (settings, { logger }) => new OpenAiSpeechEngine(settings, logger),
);
