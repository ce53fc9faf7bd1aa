/**
 * One conversation turn, headless: npm run say -- "Good morning!" [options] (see SAY_USAGE in
 * say-options.ts, or --help). Prints segments as they are cut and the latency breakdown at the
 * end; the audio replaces --out only when the turn succeeds.
 */
import { readFileSync } from 'node:fs';
import { FakeEdgeTtsServer } from '../fakes/fake-edge-tts-server';
import { FakeOpenAiServer } from '../fakes/fake-openai-server';
import { FakeOpenAiSpeechServer } from '../fakes/fake-openai-speech-server';
import { PROFILES } from '../fakes/profiles';
import { Conversation } from '../main/pipeline/conversation';
import { formatLatency } from '../main/pipeline/latency';
import { createLogger } from '../main/pipeline/logger';
import { EDGE_ENDPOINT } from '../main/pipeline/tts/edge-tts-engine';
import { wavFile } from '../main/pipeline/tts/pcm';
import { ProviderTtsEngine } from '../main/pipeline/tts/provider-tts-engine';
import { originOf } from '../shared/origin';
import { describeSettingsErrors, parsePipelineSettings } from '../shared/settings';
import { audioFormatOf, providerInfo } from '../shared/tts-providers/catalog';
import { parseSayArgs } from './say-options';
import { writeFileAtomically } from '../main/files/write-file-atomically';

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
  speech: options.fakeTts ? await FakeOpenAiSpeechServer.start(PROFILES.realistic.speech) : undefined,
};
const closeFakes = async () => {
  await fakes.llm?.close();
  await fakes.tts?.close();
  await fakes.speech?.close();
};
const fileTts = (fromFile.tts ?? {}) as { providers?: Record<string, Record<string, unknown>> };

const raw = {
  ...fromFile,
  llm: {
    ...fromFile.llm,
    ...options.llm,
    ...(fakes.llm && { baseUrl: fakes.llm.url }),
  },
  tts: {
    ...fileTts,
    providers: {
      ...fileTts.providers,
      edge: { ...fileTts.providers?.edge, ...(options.voice && { voice: options.voice }) },
      openai: { ...fileTts.providers?.openai, ...(fakes.speech && { baseUrl: fakes.speech.url }) },
    },
  },
  streaming: { ...fromFile.streaming, ...(!options.streaming && { enabled: false }) },
};
const problems = describeSettingsErrors(raw);
if (problems.length > 0) {
  console.error(`Invalid settings:\n  ${problems.join('\n  ')}`);
  await closeFakes();
  process.exit(2);
}
const settings = parsePipelineSettings(raw);
// A key given for this run is meant for the server given for this run (the app binds keys to origins).
if (settings.llm.apiKey) settings.llm.apiKeyOrigin = originOf(settings.llm.baseUrl);
const speechSettings = settings.tts.providers.openai;
if (speechSettings.apiKey) speechSettings.apiKeyOrigin = originOf(speechSettings.baseUrl);
const logger = createLogger({ level: options.verbose ? 'debug' : 'warn' });
const endpoint = fakes.tts?.url ?? options.ttsEndpoint ?? EDGE_ENDPOINT;
console.log(`(voice: ${providerInfo(settings.tts.provider).label})`);
if (settings.tts.provider === 'edge' && endpoint !== EDGE_ENDPOINT) console.log(`(speech from ${endpoint})`);
const tts = new ProviderTtsEngine(settings.tts, { logger, endpoints: { edge: endpoint } });
const conversation = new Conversation({ settings, tts, logger });

const mainFormat = audioFormatOf(settings.tts.provider, settings.tts.providers);
const out = options.out ?? `kiyo-say.${mainFormat.codec === 'mp3' ? 'mp3' : 'wav'}`;
/** MP3 from a voice that sends MP3: written to `out` (or beside it when PCM took `out`). */
const audio: Uint8Array[] = [];
/** PCM, at the rate its voice declared: written as a WAV file. */
const pcmAudio: Uint8Array[] = [];
let pcmRate = 0;
let failed = false;
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

console.log(`> ${options.input}`);
for await (const event of conversation.runTurn(options.input, { signal: controller.signal })) {
  switch (event.type) {
    case 'segment':
      // With the emotion tag the segment carries (taken out of its text): "[0:joy] Hehe,".
      console.log(`  [${event.index}${event.emotion ? `:${event.emotion}` : ''}] ${event.displayText}`);
      break;
    case 'audio':
      if (event.format.codec === 'pcm') {
        pcmAudio.push(event.data);
        pcmRate ||= event.format.sampleRate;
      } else audio.push(event.data);
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
      const pcmBytes = pcmAudio.reduce((n, a) => n + a.byteLength, 0);
      if (event.reason !== 'complete' || failed) {
        // The previous file stays as it was: a failed turn has nothing worth replacing it with.
        failed = true;
        console.log(`\n${event.reason}: nothing written (${out} left as it was)`);
      } else if (bytes + pcmBytes === 0) {
        console.log(`\n${event.reason}: the reply had nothing to speak; nothing written`);
      } else {
        const wavOut = out.endsWith('.wav');
        if (bytes > 0) {
          const mp3 = wavOut ? out.replace(/\.wav$/, '.mp3') : out;
          writeFileAtomically(mp3, Buffer.concat(audio));
          console.log(`\n${event.reason}: ${bytes} bytes of MP3 written to ${mp3}`);
        }
        if (pcmBytes > 0) {
          const wav = wavOut ? out : out.replace(/(\.\w+)?$/, '.pcm.wav');
          writeFileAtomically(wav, wavFile(Buffer.concat(pcmAudio), pcmRate));
          console.log(`\n${event.reason}: ${pcmBytes} bytes of ${pcmRate} Hz PCM written to ${wav}`);
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
await closeFakes();
process.exit(failed ? 1 : 0);
