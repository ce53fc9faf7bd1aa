/**
 * One conversation turn, headless: npm run say -- "Good morning!" [options] (see SAY_USAGE in
 * say-options.ts, or --help). Prints segments as they are cut and the latency breakdown at the
 * end; the audio replaces --out only when the turn succeeds.
 */
import { readFileSync } from 'node:fs';
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
import { originOf } from '../shared/origin';
import {
  AUDIO_EXTENSION,
  describeSettingsErrors,
  parsePipelineSettings,
  PCM_FORMAT,
  PCM_SAMPLE_RATE,
} from '../shared/settings';
import { parseSayArgs } from './say-options';
import { writeFileAtomically } from './write-file-atomically';

const args = parseSayArgs(process.argv.slice(2), process.env);
if (args.kind === 'help') {
  console.log(args.text);
  process.exit(0);
}
if (args.kind === 'refused') {
  console.error(args.message);
  process.exit(2);
}
const options = args.options;
for (const note of options.notes) console.log(`(${note})`);

let fromFile: Record<string, Record<string, unknown>> = {};
if (options.settingsFile) {
  try {
    fromFile = JSON.parse(readFileSync(options.settingsFile, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    console.error(`Cannot read the settings file ${options.settingsFile}: ${(error as Error).message}`);
    process.exit(2);
  }
}
const fakes = {
  llm: options.fakeLlm ? await FakeOpenAiServer.start(PROFILES.realistic.llm) : undefined,
  tts: options.fakeTts ? await FakeEdgeTtsServer.start(PROFILES.realistic.tts) : undefined,
};

const raw = {
  ...fromFile,
  llm: {
    ...fromFile.llm,
    ...options.llm,
    ...(fakes.llm && { baseUrl: fakes.llm.url }),
  },
  tts: { ...fromFile.tts, ...(options.voice && { voice: options.voice }) },
  streaming: { ...fromFile.streaming, ...(!options.streaming && { enabled: false }) },
};
const problems = describeSettingsErrors(raw);
if (problems.length > 0) {
  console.error(`Invalid settings:\n  ${problems.join('\n  ')}`);
  await fakes.llm?.close();
  await fakes.tts?.close();
  process.exit(2);
}
const settings = parsePipelineSettings(raw);
// A key given for this run is meant for the server given for this run (the app binds keys to origins).
if (settings.llm.apiKey) settings.llm.apiKeyOrigin = originOf(settings.llm.baseUrl);
const logger = createLogger({ level: options.verbose ? 'debug' : 'warn' });
const endpoint = fakes.tts?.url ?? options.ttsEndpoint ?? EDGE_ENDPOINT;
if (endpoint !== EDGE_ENDPOINT) console.log(`(speech from ${endpoint})`);
const tts = new FallbackTtsEngine(
  new EdgeTtsEngine(settings.tts, logger, endpoint),
  new OfflineTtsEngine(settings.tts),
  logger,
);
const conversation = new Conversation({ settings, tts, logger });

const out = options.out ?? `kiyo-say.${AUDIO_EXTENSION[settings.tts.outputFormat]}`;
const audio: Uint8Array[] = [];
/** The offline voice's PCM, when it had to speak: written next to `out` as a WAV file. */
const offlineAudio: Uint8Array[] = [];
let failed = false;
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

console.log(`> ${options.input}`);
for await (const event of conversation.runTurn(options.input, { signal: controller.signal })) {
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
      const bytes = audio.reduce((n, a) => n + a.byteLength, 0);
      const offlineBytes = offlineAudio.reduce((n, a) => n + a.byteLength, 0);
      if (event.reason !== 'complete' || failed) {
        // The previous file stays as it was: a failed turn has nothing worth replacing it with.
        failed = true;
        console.log(`\n${event.reason}: nothing written (${out} left as it was)`);
      } else if (bytes + offlineBytes === 0) {
        console.log(`\n${event.reason}: the reply had nothing to speak; nothing written`);
      } else {
        if (bytes > 0) {
          writeFileAtomically(out, Buffer.concat(audio));
          console.log(`\n${event.reason}: ${bytes} bytes of ${settings.tts.outputFormat} written to ${out}`);
        }
        if (offlineBytes > 0) {
          const wav = out.replace(/(\.\w+)?$/, '.offline.wav');
          writeFileAtomically(wav, wavFile(Buffer.concat(offlineAudio), PCM_SAMPLE_RATE));
          console.log(`the offline voice's part written to ${wav}`);
        }
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
await fakes.llm?.close();
await fakes.tts?.close();
process.exit(failed ? 1 : 0);
