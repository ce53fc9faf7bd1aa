import { parseArgs } from 'node:util';

/**
 * `npm run say` arguments and environment → what to run, or a plain message (the CLI exits 2).
 * Pure, so every combination is tested without starting anything.
 *
 * Where each upstream comes from, first match wins:
 *   LLM: --fake-llm / --fake → a local fake; --base-url; KIYO_LLM_BASE_URL; --settings file; default.
 *   TTS: --fake-tts / --fake → a local fake; KIYO_TTS_ENDPOINT; the real Edge service.
 * A flag never silently beats another flag: contradictory ones are refused.
 */

export const SAY_USAGE = `usage: npm run say -- "Good morning!" [options]

  --fake                 both upstreams local and fake (no network, no API key)
  --fake-llm             a local fake LLM only (answers in the language of the message)
  --fake-tts             a local fake Edge speech server only (espeak-ng in the voice's language)
  --settings <file>      pipeline settings JSON (see docs/settings.md); the flags below override it
  --base-url <url>       OpenAI-compatible base URL (not with --fake/--fake-llm)
  --model <name>         model name
  --voice <name>         Edge voice, e.g. ja-JP-NanamiNeural
  --no-stream            traditional mode: the whole reply, then speech
  --out <file>           where the audio goes (default kiyo-say.mp3); kept as it was if the turn fails
  --verbose              debug log

Environment: KIYO_LLM_BASE_URL, KIYO_LLM_MODEL, KIYO_API_KEY (or OPENAI_API_KEY) as for the app;
KIYO_TTS_ENDPOINT, an Edge-protocol WebSocket URL (e.g. from npm run fakes).`;

export interface SayOptions {
  input: string;
  fakeLlm: boolean;
  fakeTts: boolean;
  settingsFile?: string;
  /** LLM settings from flags and environment, already in priority order; absent: the file's. */
  llm: { baseUrl?: string; model?: string; apiKey?: string };
  voice?: string;
  streaming: boolean;
  /** The Edge endpoint when the TTS is not the fake (undefined: the real service). */
  ttsEndpoint?: string;
  out?: string;
  verbose: boolean;
  /** Things the user set that this run does not use, and why: printed, never silent. */
  notes: string[];
}

export type SayArgs =
  | { kind: 'run'; options: SayOptions }
  | { kind: 'help'; text: string }
  | { kind: 'refused'; message: string };

type Env = Readonly<Record<string, string | undefined>>;

export function parseSayArgs(argv: readonly string[], env: Env): SayArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        fake: { type: 'boolean', default: false },
        'fake-llm': { type: 'boolean', default: false },
        'fake-tts': { type: 'boolean', default: false },
        settings: { type: 'string' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        voice: { type: 'string' },
        'no-stream': { type: 'boolean', default: false },
        out: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return refused(`${(error as Error).message}\n\n${SAY_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', text: SAY_USAGE };

  const input = positionals.join(' ').trim();
  if (!input) return refused(`Say what? Give the message to send.\n\n${SAY_USAGE}`);

  const fakeLlm = values.fake || values['fake-llm'];
  const fakeTts = values.fake || values['fake-tts'];
  const fakeLlmFlag = values['fake-llm'] ? '--fake-llm' : '--fake';
  if (fakeLlm && values['base-url'] !== undefined) {
    return refused(
      `${fakeLlmFlag} starts a local fake LLM, so it cannot be combined with --base-url ${values['base-url']}. ` +
        `Drop one of them${values.fake ? ' (--fake-tts keeps the fake speech with your LLM)' : ''}.`,
    );
  }
  for (const [flag, value] of [
    ['--settings', values.settings],
    ['--out', values.out],
    ['--voice', values.voice],
    ['--model', values.model],
    ['--base-url', values['base-url']],
  ] as const) {
    if (value !== undefined && value.trim() === '') return refused(`${flag} needs a value.`);
  }

  const notes: string[] = [];
  const llm: SayOptions['llm'] = {};
  if (fakeLlm) {
    for (const name of ['KIYO_LLM_BASE_URL', 'KIYO_LLM_MODEL'] as const)
      if (env[name]) notes.push(`${name} is not used: ${fakeLlmFlag} answers with the fake LLM`);
    llm.model = values.model ?? 'kiyo-fake';
  } else {
    const baseUrl = values['base-url'] ?? env.KIYO_LLM_BASE_URL;
    const model = values.model ?? env.KIYO_LLM_MODEL;
    const apiKey = env.KIYO_API_KEY ?? env.OPENAI_API_KEY;
    if (baseUrl) llm.baseUrl = baseUrl;
    if (model) llm.model = model;
    if (apiKey) llm.apiKey = apiKey;
  }

  let ttsEndpoint: string | undefined;
  if (fakeTts) {
    if (env.KIYO_TTS_ENDPOINT)
      notes.push(
        `KIYO_TTS_ENDPOINT is not used: ${values['fake-tts'] ? '--fake-tts' : '--fake'} speaks with the fake`,
      );
  } else if (env.KIYO_TTS_ENDPOINT) {
    ttsEndpoint = env.KIYO_TTS_ENDPOINT;
    if (!isWebSocketUrl(ttsEndpoint))
      return refused(`KIYO_TTS_ENDPOINT must be a ws:// or wss:// URL (got "${ttsEndpoint}").`);
  }

  return {
    kind: 'run',
    options: {
      input,
      fakeLlm,
      fakeTts,
      settingsFile: values.settings,
      llm,
      voice: values.voice,
      streaming: !values['no-stream'],
      ttsEndpoint,
      out: values.out,
      verbose: values.verbose,
      notes,
    },
  };
}

function refused(message: string): SayArgs {
  return { kind: 'refused', message };
}

function isWebSocketUrl(text: string): boolean {
  try {
    return ['ws:', 'wss:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
