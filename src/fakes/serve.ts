/**
 * Runs the fake upstreams (chat, Edge speech, OpenAI-compatible speech, speech to text, Twitch
 * chat) until interrupted (Ctrl+C, SIGTERM), printing their URLs as one JSON
 * line, then how to point Kiyo at them:
 *   npm run fakes -- [--profile realistic|slow|instant]
 * Used by the benchmark (in its own process, so encoding speech never stalls the pipeline being
 * measured) and to try the app without an API key. It never reads stdin, so it runs just as well
 * in the background or with no terminal; started with an IPC channel (the benchmark does), it
 * also stops when its parent goes away, so a crashed benchmark leaves nothing behind.
 */
import { parseArgs } from 'node:util';
import { FakeEdgeTtsServer } from './fake-edge-tts-server';
import { FakeOpenAiServer } from './fake-openai-server';
import { FakeOpenAiSpeechServer } from './fake-openai-speech-server';
import { FakeOpenAiTranscriptionServer } from './fake-openai-transcription-server';
import { FakeTwitchChatServer } from './fake-twitch-chat-server';
import { BENCH_REPLIES_BY_LANGUAGE, isProfileName, PROFILES } from './profiles';

/** The first line printed: what a program starting the fakes reads. */
export interface FakeUpstreamsInfo {
  llmBaseUrl: string;
  ttsEndpoint: string;
  ttsVoicesUrl: string;
  /** Base URL of the OpenAI-compatible speech API (`POST <it>/audio/speech`). */
  speechBaseUrl: string;
  /**
   * Base URL of the OpenAI-compatible speech-to-text API (`POST <it>/audio/transcriptions`);
   * utterances to recognise are registered with `POST <its origin>/fake/utterances {"text"}`.
   */
  transcriptionBaseUrl: string;
  /**
   * The fake Twitch chat server (IRC over WebSocket) for Preferences → Chat → Twitch server; a
   * viewer's message is sent with `POST <its http origin>/fake/messages {"channel","login","text"}`.
   */
  twitchChatUrl: string;
  /** A Twitch token the fake chat server accepts (TWURPLE_MOCK_API_PORT=<its port> for twurple). */
  twitchToken: string;
  profile: string;
}

const { values } = parseArgs({ options: { profile: { type: 'string', default: 'realistic' } } });
const profile = values.profile;
if (!isProfileName(profile)) {
  console.error(`unknown profile "${profile}"; one of: ${Object.keys(PROFILES).join(', ')}`);
  process.exit(2);
}
const llm = await FakeOpenAiServer.start({ ...PROFILES[profile].llm, replies: BENCH_REPLIES_BY_LANGUAGE });
const tts = await FakeEdgeTtsServer.start(PROFILES[profile].tts);
const speech = await FakeOpenAiSpeechServer.start(PROFILES[profile].speech);
// Speech it does not know (a real microphone) is heard as one friendly line, so the app can be tried.
const transcription = await FakeOpenAiTranscriptionServer.start({
  ...PROFILES[profile].stt,
  unknownSpeechText: 'Hello Kiyo, can you hear me?',
});
const twitch = await FakeTwitchChatServer.start();
const twitchMessages = `http://127.0.0.1:${twitch.port}/fake/messages`;
/** A sign-in the fake accepts (as the user kiyobot), to try posting answers. */
const FAKE_TWITCH_TOKEN = 'kiyofaketoken0123456789';
twitch.validTokens.set(FAKE_TWITCH_TOKEN, 'kiyobot');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await llm.close();
  await tts.close();
  await speech.close();
  await transcription.close();
  await twitch.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.connected) process.on('disconnect', stop);

const info: FakeUpstreamsInfo = {
  llmBaseUrl: llm.url,
  ttsEndpoint: tts.url,
  ttsVoicesUrl: tts.voicesUrl,
  speechBaseUrl: speech.url,
  transcriptionBaseUrl: transcription.url,
  twitchChatUrl: twitch.url,
  twitchToken: FAKE_TWITCH_TOKEN,
  profile,
};
console.log(JSON.stringify(info));
console.log(`
Fake upstreams running (profile "${profile}") until interrupted (Ctrl+C):
  OpenAI-compatible chat  ${llm.url}/chat/completions  (models: ${llm.url}/models)
  Edge speech WebSocket   ${tts.url}
  Edge voice list         ${tts.voicesUrl}
  OpenAI-compatible speech ${speech.url}/audio/speech  (Preferences → Voice → OpenAI-compatible voice, base URL ${speech.url})
  Speech to text          ${transcription.url}/audio/transcriptions  (Preferences → Listening, base URL ${transcription.url})
  Twitch chat             ${twitch.url}  (Preferences → Chat: on, channel kiyofake, Twitch server ${twitch.url})
    a viewer's message:   curl -X POST ${twitchMessages} -d '{"channel":"kiyofake","login":"amy","displayName":"Amy","text":"@Kiyo what are you playing?"}'
                          (also "mod", "subscriber": true/false and "bits": n)
    posting answers:      start Kiyo with TWURPLE_MOCK_API_PORT=${twitch.port} (twurple then checks tokens here), sign in
                          in Preferences → Chat with token ${FAKE_TWITCH_TOKEN} (any client ID), turn on Post answers
Point Kiyo at them:
  KIYO_LLM_BASE_URL=${llm.url} KIYO_TTS_ENDPOINT=${tts.url} KIYO_TTS_VOICES_URL='${tts.voicesUrl}' KIYO_STT_BASE_URL=${transcription.url} npm start
  KIYO_LLM_BASE_URL=${llm.url} KIYO_TTS_ENDPOINT=${tts.url} npm run say -- "你好！"`);
