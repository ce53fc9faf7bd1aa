import type { LlmSettings, StreamingSettings } from './settings';

export interface ProviderPreset {
  id: 'openai' | 'ollama' | 'lmstudio' | 'custom';
  label: string;
  baseUrl: string;
  model: string;
  needsKey: boolean;
}

export const PROVIDER_PRESETS: ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4o-mini',
    needsKey: true,
  },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', needsKey: false },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://localhost:1234/v1',
    model: 'local-model',
    needsKey: false,
  },
  { id: 'custom', label: 'Custom (OpenAI-compatible)', baseUrl: '', model: '', needsKey: false },
];

export function providerOf(llm: Pick<LlmSettings, 'baseUrl'>): ProviderPreset['id'] {
  return PROVIDER_PRESETS.find((p) => p.id !== 'custom' && p.baseUrl === llm.baseUrl)?.id ?? 'custom';
}

export interface StreamingPreset {
  id: 'fastest' | 'balanced' | 'stable';
  label: string;
  description: string;
  values: Partial<StreamingSettings>;
}

/**
 * Balanced is the schema's defaults, so it is also what "reset" gives. In each, the time budget
 * leads at usual speeds (30 tokens/s: ~4.5 characters a token) and the character limit is the
 * ceiling for faster models.
 */
export const STREAMING_PRESETS: StreamingPreset[] = [
  {
    id: 'fastest',
    label: 'Fastest first sentence',
    description: 'Speaks the first word-group as soon as it exists; may cut a first phrase short.',
    values: {
      enabled: true,
      firstSegmentMinChars: 1,
      firstSegmentMaxChars: 60,
      firstSegmentBudgetMs: 300,
      segmentMinChars: 24,
      synthesisAhead: 4,
    },
  },
  {
    id: 'balanced',
    label: 'Balanced',
    description: 'Waits for the first natural pause (a comma), then speaks whole sentences.',
    values: {
      enabled: true,
      firstSegmentMinChars: 4,
      firstSegmentMaxChars: 120,
      firstSegmentBudgetMs: 500,
      segmentMinChars: 24,
      synthesisAhead: 3,
    },
  },
  {
    id: 'stable',
    label: 'Stable',
    description: 'Longer first sentence and segments: smoother prosody on slow networks, later start.',
    values: {
      enabled: true,
      firstSegmentMinChars: 24,
      firstSegmentMaxChars: 240,
      firstSegmentBudgetMs: 1500,
      segmentMinChars: 60,
      synthesisAhead: 2,
    },
  },
];
