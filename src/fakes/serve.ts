/**
 * Runs both fake upstreams until stopped, printing their URLs as one JSON line:
 *   npm run fakes -- [--profile realistic|slow|instant]
 * Used by the benchmark (in its own process, so encoding speech never stalls the pipeline being
 * measured) and to try the app without an API key.
 */
import { parseArgs } from 'node:util';
import { FakeEdgeTtsServer } from './fake-edge-tts-server';
import { FakeOpenAiServer } from './fake-openai-server';
import { BENCH_REPLIES, isProfileName, PROFILES } from './profiles';

const { values } = parseArgs({ options: { profile: { type: 'string', default: 'realistic' } } });
const profile = values.profile;
if (!isProfileName(profile)) {
  console.error(`unknown profile "${profile}"; one of: ${Object.keys(PROFILES).join(', ')}`);
  process.exit(2);
}
const llm = await FakeOpenAiServer.start({ ...PROFILES[profile].llm, replies: BENCH_REPLIES });
const tts = await FakeEdgeTtsServer.start(PROFILES[profile].tts);
console.log(JSON.stringify({ llmBaseUrl: llm.url, ttsEndpoint: tts.url, profile }));

const stop = async () => {
  await llm.close();
  await tts.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
