import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PipelineEvent } from '../../src/shared/pipeline-events';

/** Handlers registered with ipcMain.handle: the preferences IPC exactly as main registers it. */
const handlers = vi.hoisted(() => new Map<string, (event: unknown, payload?: unknown) => unknown>());
vi.mock('electron', () => ({
  app: { isPackaged: false },
  ipcMain: {
    handle: (channel: string, handler: (event: unknown) => unknown) => handlers.set(channel, handler),
  },
  BrowserWindow: class {},
  shell: { openExternal: vi.fn() },
}));

const { pathToFileURL } = await import('node:url');
const { FakeOpenAiTranscriptionServer, utteranceWav } =
  await import('../../src/fakes/fake-openai-transcription-server');
const { TurnRunner } = await import('../../src/main/pipeline/turn-runner');
const { OpenAiTranscriber } = await import('../../src/main/pipeline/stt/openai-transcriber');
const { registerPreferencesIpc } = await import('../../src/main/preferences/preferences-ipc');
const { loadSettings, toStoredDocument } = await import('../../src/main/settings/settings-persistence');
const { RENDERER_DIR } = await import('../../src/main/shell/secure-window');
const { PREFS_IPC } = await import('../../src/shared/preferences-api');
const { originOf } = await import('../../src/shared/origin');
const { createLogger } = await import('../../src/main/pipeline/logger');
const { makeConversation, ofType } = await import('../helpers/pipeline-fixture');
const { preferencesService } = await import('../helpers/preferences-service');
const { fakeCipher } = await import('../helpers/fake-cipher');
const { useFakes } = await import('../helpers/use-fakes');

/**
 * The speech-to-text key, quoted back by a server that refuses it, reaches no pipeline event, no
 * log line, no preferences answer and no settings file in plain text. Not shaped like an OpenAI
 * key (Groq's look different), so only the registry, not the key-shape rule, can hide it.
 */
const KEY = 'gsk_listenSecret0123456789abcdef';
const PREFS = { url: `${pathToFileURL(RENDERER_DIR).href}/preferences.html`, parent: null };

const fakes = useFakes();
let stt: Awaited<ReturnType<typeof FakeOpenAiTranscriptionServer.start>>;
beforeAll(async () => {
  stt = await FakeOpenAiTranscriptionServer.start({
    latencyMs: 5,
    apiKey: 'gsk_the-one-the-server-wants-0000',
    echoAuthorization: true,
  });
});
afterAll(() => stt.close());

describe('the speech-to-text key never leaves main', () => {
  it('through a transcription error, the turn events, the log, preferences IPC and the settings file', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (_level, line) => lines.push(line) });
    const sttSettings = {
      providers: {
        openai: { baseUrl: stt.url, model: 'whisper-1', apiKey: KEY, apiKeyOrigin: originOf(stt.url) },
      },
    };
    const conversation = makeConversation(fakes, { stt: sttSettings }, logger);
    const wav = utteranceWav(new Int16Array(16_000).map((_, i) => Math.round(Math.sin(i / 5) * 8000)));

    // The raw error really quotes the key (a transcriber with a registry of its own).
    const raw = await new OpenAiTranscriber(
      () => conversation.currentSettings.stt.providers.openai,
      createLogger({ level: 'error', sink: () => {} }),
    )
      .transcribe(wav, new AbortController().signal)
      .catch((e: Error) => e.message);
    expect(raw).toContain(KEY);
    expect(stt.requests.at(-1)!.authorization).toBe(`Bearer ${KEY}`);

    const events: PipelineEvent[] = [];
    const runner = new TurnRunner(conversation, (e) => events.push(e), logger);
    const id = await runner.hear({ wav, speechMs: 1000, sinceSpeechEndMs: 500 });
    await vi.waitFor(() => expect(events.some((e) => e.type === 'turn-end' && e.turnId === id)).toBe(true));
    expect(ofType(events, 'error')[0]).toMatchObject({ code: 'stt-auth' });

    const { service } = preferencesService(conversation, logger, { runner });
    handlers.clear();
    registerPreferencesIpc(service, logger.secrets);
    const shown = (await handlers.get(PREFS_IPC.getSettings)!({ senderFrame: PREFS }, undefined)) as {
      stt: { apiKeysSet: Record<string, boolean>; providers: { openai: { apiKey: string } } };
    };
    expect(shown.stt.apiKeysSet.openai).toBe(true);
    expect(shown.stt.providers.openai.apiKey).toBe('');

    const { document } = toStoredDocument(conversation.currentSettings, fakeCipher());
    const file = JSON.stringify(document);
    expect(document.secrets?.sttApiKeys?.openai?.apiKeyOrigin).toBe(originOf(stt.url));
    // The file holds it encrypted, and it comes back bound to the same origin.
    const reloaded = loadSettings(JSON.parse(file), fakeCipher()).settings.stt.providers.openai;
    expect(reloaded).toMatchObject({ apiKey: KEY, apiKeyOrigin: originOf(stt.url) });

    for (const text of [JSON.stringify(events), JSON.stringify(shown), file, ...lines])
      expect(text).not.toContain(KEY);
    expect(JSON.stringify(events)).not.toContain('listenSecret');
    expect(lines.join('\n')).toContain('[redacted]'); // the log still says what happened
    conversation.close();
  });
});
