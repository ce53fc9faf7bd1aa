/**
 * One conversation turn, headless: npm run say -- "Good morning!" [options]
 *
 *   --fake                 use local fake upstreams (no network, no API key)
 *   --settings <file>      pipeline settings JSON (see docs/settings.md); flags below override it
 *   --base-url <url>       OpenAI-compatible base URL     --model <name>
 *   --voice <name>         Edge voice                      --no-stream (traditional mode)
 *   --out <file>           where the audio goes (default kiyo-say.<ext>)
 *
 * The API key comes from KIYO_API_KEY or OPENAI_API_KEY. Prints segments as they are cut and the
 * latency breakdown at the end.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FakeEdgeTtsServer } from '../fakes/fake-edge-tts-server';
import { FakeOpenAiServer } from '../fakes/fake-openai-server';
import { PROFILES } from '../fakes/profiles';
import { Conversation } from '../main/pipeline/conversation';
import { formatLatency } from '../main/pipeline/latency';
import { createLogger } from '../main/pipeline/logger';
import { EdgeTtsEngine, EDGE_ENDPOINT } from '../main/pipeline/tts/edge-tts-engine';
import { FallbackTtsEngine } from '../main/pipeline/tts/fallback-tts-engine';
import { OfflineTtsEngine } from '../main/pipeline/tts/offline-tts-engine';
import { wavFile } from '../main/pipeline/tts/pcm';
import {
  AUDIO_EXTENSION,
  describeSettingsErrors,
  parsePipelineSettings,
  PCM_FORMAT,
  PCM_SAMPLE_RATE,
} from '../shared/settings';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fake: { type: 'boolean', default: false },
    settings: { type: 'string' },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    voice: { type: 'string' },
    'no-stream': { type: 'boolean', default: false },
    out: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const input = positionals.join(' ').trim();
if (!input) {
  console.error('usage: npm run say -- "Good morning!" [--fake] [--settings file.json] [--out file]');
  process.exit(2);
}

const fromFile: Record<string, Record<string, unknown>> = values.settings
  ? JSON.parse(readFileSync(values.settings, 'utf8'))
  : {};
const fakes = values.fake
  ? {
      llm: await FakeOpenAiServer.start(PROFILES.realistic.llm),
      tts: await FakeEdgeTtsServer.start(PROFILES.realistic.tts),
    }
  : undefined;

const raw = {
  ...fromFile,
  llm: {
    ...fromFile.llm,
    ...(values['base-url'] && { baseUrl: values['base-url'] }),
    ...(values.model && { model: values.model }),
    ...(fakes && { baseUrl: fakes.llm.url, model: 'kiyo-fake' }),
    apiKey: process.env.KIYO_API_KEY ?? process.env.OPENAI_API_KEY ?? fromFile.llm?.apiKey ?? '',
  },
  tts: { ...fromFile.tts, ...(values.voice && { voice: values.voice }) },
  streaming: { ...fromFile.streaming, ...(values['no-stream'] && { enabled: false }) },
};
const problems = describeSettingsErrors(raw);
if (problems.length > 0) {
  console.error(`Invalid settings:\n  ${problems.join('\n  ')}`);
  process.exit(2);
}
const settings = parsePipelineSettings(raw);
const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });
const tts = new FallbackTtsEngine(
  new EdgeTtsEngine(settings.tts, logger, fakes?.tts.url ?? EDGE_ENDPOINT),
  new OfflineTtsEngine(settings.tts),
  logger,
);
const conversation = new Conversation({ settings, tts, logger });

const out = values.out ?? `kiyo-say.${AUDIO_EXTENSION[settings.tts.outputFormat]}`;
const audio: Uint8Array[] = [];
/** The offline voice's PCM, when it had to speak: written next to `out` as a WAV file. */
const offlineAudio: Uint8Array[] = [];
let failed = false;
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

console.log(`> ${input}`);
for await (const event of conversation.runTurn(input, { signal: controller.signal })) {
  switch (event.type) {
    case 'segment':
      console.log(`  [${event.index}] ${event.displayText}`);
      break;
    case 'audio':
      (event.format === PCM_FORMAT ? offlineAudio : audio).push(event.data);
      break;
    case 'notice':
      console.log(`  (${event.message})`);
      break;
    case 'error':
      failed = true;
      console.error(`error (${event.code}): ${event.message}`);
      break;
    case 'turn-end': {
      writeFileSync(out, Buffer.concat(audio));
      const bytes = audio.reduce((n, a) => n + a.byteLength, 0);
      console.log(`\n${event.reason}: ${bytes} bytes of ${settings.tts.outputFormat} written to ${out}`);
      if (offlineAudio.length > 0) {
        const wav = out.replace(/(\.\w+)?$/, '.offline.wav');
        writeFileSync(wav, wavFile(Buffer.concat(offlineAudio), PCM_SAMPLE_RATE));
        console.log(`the offline voice's part written to ${wav}`);
      }
      console.log(`latency: ${formatLatency(event.latency)}`);
      const l = event.latency;
      if (l.firstAudio !== undefined && l.firstSegment !== undefined && l.ttsFirstByte !== undefined) {
        const ttfb = l.ttsFirstByte - (l.ttsFirstRequestSent ?? l.ttsFirstByte);
        const limit = l.firstSegment + ttfb;
        console.log(
          `first audio ${Math.round(l.firstAudio)} ms = first segment ${Math.round(l.firstSegment)} ms + TTS first byte ${Math.round(ttfb)} ms + pipeline ${Math.round(l.firstAudio - limit)} ms`,
        );
      }
      break;
    }
  }
}
conversation.close();
await fakes?.llm.close();
await fakes?.tts.close();
process.exit(failed ? 1 : 0);
