import { utteranceSpeech, utteranceWav } from '../../src/fakes/fake-openai-transcription-server';
import { OpenAiTranscriber } from '../../src/main/pipeline/stt/openai-transcriber';
import { openaiTranscriptionSettingsSchema } from '../../src/shared/stt-providers/openai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUpstreamsInfo } from '../../src/fakes/serve';
import { TwitchChatSource } from '../../src/main/chat/twitch-chat-source';
import type { ChatConnectionState, IncomingChatMessage } from '../../src/shared/chat';
import { createLogger } from '../../src/main/pipeline/logger';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { fetchEdgeVoices } from '../../src/main/pipeline/tts/edge-voices';
import { parsePipelineSettings } from '../../src/shared/settings';

/**
 * `npm run fakes` runs until interrupted: not until its stdin ends (no terminal, a closed pipe,
 * a background job), and it never reads stdin (a background job reading it is stopped by the
 * shell with SIGTTIN, "tty input").
 */

const TSX = 'node_modules/.bin/tsx';
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Starts the fakes as `npm run fakes` does; resolves with the addresses they print first. */
async function startFakes(stdin: 'ignore' | 'pipe'): Promise<{ info: FakeUpstreamsInfo; lines: string[] }> {
  child = spawn(TSX, ['src/fakes/serve.ts', '--profile', 'instant'], { stdio: [stdin, 'pipe', 'inherit'] });
  // A pipe closed at once: what a non-interactive caller gives (the old server stopped on its end).
  if (stdin === 'pipe') child.stdin!.end();
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (line) => lines.push(line));
  const [first] = (await once(reader, 'line')) as [string];
  return { info: JSON.parse(first) as FakeUpstreamsInfo, lines };
}

async function answersEveryUrl(info: FakeUpstreamsInfo): Promise<void> {
  const models = (await (await fetch(`${info.llmBaseUrl}/models`)).json()) as { data: { id: string }[] };
  expect(models.data.map((m) => m.id)).toEqual(['kiyo-fake']);
  const voices = await fetchEdgeVoices(info.ttsVoicesUrl);
  expect(voices.map((v) => v.shortName)).toContain('zh-CN-XiaoxiaoNeural');
  // One clause through the real Edge client: the speech server is up, not just listening.
  const settings = parsePipelineSettings({ tts: { providers: { edge: { warmConnections: 0 } } } });
  const engine = new EdgeTtsEngine(
    settings.tts.providers.edge,
    createLogger({ level: 'error' }),
    info.ttsEndpoint,
  );
  let bytes = 0;
  for await (const chunk of engine.synthesize({ text: 'Still here.', signal: new AbortController().signal }))
    bytes += chunk.data.byteLength;
  engine.close();
  expect(bytes).toBeGreaterThan(0);
  // Speech to text: an utterance registered from this process is recognised in the fakes' one.
  const phrase = 'Are you listening to me?';
  const registered = await fetch(`${new URL(info.transcriptionBaseUrl).origin}/fake/utterances`, {
    method: 'POST',
    body: JSON.stringify({ text: phrase }),
  });
  expect(registered.status).toBe(204);
  const stt = openaiTranscriptionSettingsSchema.parse({
    baseUrl: info.transcriptionBaseUrl,
    model: 'whisper-1',
  });
  const transcriber = new OpenAiTranscriber(() => stt, createLogger({ level: 'error' }));
  const wav = utteranceWav((await utteranceSpeech(phrase)).samples);
  expect(await transcriber.transcribe(wav, new AbortController().signal)).toBe(phrase);
  await twitchChatAnswers(info);
}

/** The app's Twitch client joins the fake chat server; a viewer's message posted over HTTP reaches it. */
async function twitchChatAnswers(info: FakeUpstreamsInfo): Promise<void> {
  const received: IncomingChatMessage[] = [];
  const states: ChatConnectionState[] = [];
  const source = new TwitchChatSource({
    channel: 'kiyofake',
    server: info.twitchChatUrl,
    logger: createLogger({ level: 'error' }),
    onMessage: (message) => received.push(message),
    onState: (state) => states.push(state),
  });
  source.start();
  try {
    await expect.poll(() => states.at(-1), { timeout: 15_000 }).toBe('connected');
    const messages = `http://127.0.0.1:${new URL(info.twitchChatUrl).port}/fake/messages`;
    const post = (body: unknown) => fetch(messages, { method: 'POST', body: JSON.stringify(body) });
    const sent = await post({
      channel: 'kiyofake',
      login: 'amy',
      displayName: 'Amy',
      text: '@Kiyo what are you playing?',
      mod: true,
    });
    expect(sent.status).toBe(202);
    expect(await sent.json()).toEqual({ sent: 1 });
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({
      viewer: 'Amy',
      text: '@Kiyo what are you playing?',
      moderator: true,
    });
    // A malformed request is refused in words, and nothing is sent.
    const junk = await post({ channel: 'kiyofake', login: 'Amy Smith', text: '' });
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { error: string }).error).toMatch(/login|text/);
    expect(received).toHaveLength(1);
    // The token it prints is one it accepts, as Twitch's validation answers (twurple's mock API).
    const validated = await fetch(`http://127.0.0.1:${new URL(info.twitchChatUrl).port}/auth/validate`, {
      headers: { Authorization: `OAuth ${info.twitchToken}` },
    });
    expect(await validated.json()).toMatchObject({ login: 'kiyobot', scopes: ['chat:read', 'chat:edit'] });
  } finally {
    source.close();
  }
}

describe('npm run fakes', () => {
  it.each(['ignore', 'pipe'] as const)(
    'with stdin %s (no terminal): stays up and answering, prints its URLs, stops cleanly on SIGTERM',
    async (stdin) => {
      const { info, lines } = await startFakes(stdin);
      expect(info.profile).toBe('instant');
      await answersEveryUrl(info);
      // The stdin of a non-terminal caller has long ended by now; the server is still running.
      expect(child!.exitCode).toBeNull();
      expect(lines.join('\n')).toContain(`Edge voice list         ${info.ttsVoicesUrl}`);
      expect(lines.join('\n')).toContain(`KIYO_TTS_ENDPOINT=${info.ttsEndpoint}`);
      expect(lines.join('\n')).toContain(`KIYO_STT_BASE_URL=${info.transcriptionBaseUrl} npm start`);
      expect(lines.join('\n')).toContain(`Twitch server ${info.twitchChatUrl}`);

      child!.kill('SIGTERM');
      const [code, signal] = (await once(child!, 'exit')) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      await expect(fetch(`${info.llmBaseUrl}/models`)).rejects.toThrow();
    },
    60_000, // two processes start with a TypeScript loader on a shared machine
  );
});
