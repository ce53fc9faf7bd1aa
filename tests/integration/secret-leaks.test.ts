import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
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

const { OverlayServer } = await import('../../src/main/browser-mode/overlay-server');
const { TurnRunner } = await import('../../src/main/pipeline/turn-runner');
const { PipelineError } = await import('../../src/main/pipeline/pipeline-error');
const { EdgeTtsEngine } = await import('../../src/main/pipeline/tts/edge-tts-engine');
const { registerPreferencesIpc } = await import('../../src/main/preferences/preferences-ipc');
const { RENDERER_DIR } = await import('../../src/main/shell/secure-window');
const { PREFS_IPC } = await import('../../src/shared/preferences-api');
const { decodeServerMessage } = await import('../../src/shared/ws-protocol');
const { originOf } = await import('../../src/shared/origin');
const { parsePipelineSettings } = await import('../../src/shared/settings');
const { Conversation } = await import('../../src/main/pipeline/conversation');
const { collect, ofType, testLogger } = await import('../helpers/pipeline-fixture');
const { preferencesService } = await import('../helpers/preferences-service');
const { useFakes } = await import('../helpers/use-fakes');

/**
 * An API key pushed through every error path — LLM chat, model list, connection test, TTS, voice
 * list — reaches no pipeline event, no WebSocket frame, no preferences IPC answer and no log line.
 * Each path first proves the key really was in the raw error.
 */
const KEY = 'sk-leaky-0123456789abcdefXYZ';
// A key from an old settings file, from before keys were validated: fetch refuses the header and
// quotes it, line break and all.
const BROKEN_KEY = 'sk-pasted-twice-0123\nsk-pasted-twice-4567';
const PIECES = BROKEN_KEY.split('\n');

// The server wants another key and, like some do, quotes back what it got.
const fakes = useFakes({ apiKey: 'sk-the-one-the-server-wants-000', echoAuthorization: true });

const lines: string[] = [];
const logger = testLogger(lines);
const events: PipelineEvent[] = [];
const frames: string[] = [];
let server: import('../../src/main/browser-mode/overlay-server').OverlayServer;
let client: WebSocket;
const PREFS = { url: `${pathToFileURL(RENDERER_DIR).href}/preferences.html`, parent: null };

/** A voice engine whose failure quotes a secret, as a hostile or careless upstream's might. */
class QuotingTts extends EdgeTtsEngine {
  quote = '';
  override async *synthesize(request: import('../../src/main/pipeline/tts/tts-engine').SynthesisRequest) {
    if (this.quote) throw new PipelineError('tts-failed', `Edge refused the request for ${this.quote}`, true);
    yield* super.synthesize(request);
  }
}

function leaks(text: string): string[] {
  return [KEY, ...PIECES, `Bearer ${KEY}`].filter((secret) => text.includes(secret));
}

beforeAll(async () => {
  server = await OverlayServer.start({
    root: mkdtempSync(join(tmpdir(), 'kiyo-leak-')),
    logger,
    onMessage: () => {},
  });
  client = new WebSocket(`ws://127.0.0.1:${server.port}/${server.token}/ws`);
  client.on('message', (data, isBinary) => {
    const text = isBinary
      ? JSON.stringify(decodeServerMessage(new Uint8Array(data as Buffer).buffer))
      : String(data);
    frames.push(text);
  });
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
});
afterAll(async () => {
  client.close();
  await server.close();
});

describe('no secret leaves main', () => {
  it('through LLM, model list, connection test, TTS and voice list errors', { timeout: 90_000 }, async () => {
    const settings = parsePipelineSettings({
      llm: {
        baseUrl: fakes.llm.url,
        model: 'kiyo-fake',
        apiKey: KEY,
        apiKeyOrigin: originOf(fakes.llm.url),
        maxRetries: 0,
      },
      tts: { providers: { edge: { warmConnections: 1, timeoutMs: 30_000 } } },
    });
    const tts = new QuotingTts(settings.tts.providers.edge, logger, fakes.tts.url);
    const conversation = new Conversation({ settings, tts, logger });
    const runner = new TurnRunner(
      conversation,
      (event) => {
        events.push(event);
        server.publish(event);
      },
      logger,
    );
    const voiceError = new Error(`voice list refused: token ${KEY} is not allowed`);
    const { service } = preferencesService(conversation, logger, {
      runner,
      fetchVoices: async () => {
        throw voiceError;
      },
    });
    registerPreferencesIpc(service, logger.secrets);
    const ipc = async (channel: string) => handlers.get(channel)!({ senderFrame: PREFS }, undefined);
    const answers: unknown[] = [];
    const turn = async (text: string) => {
      const id = await runner.say(text);
      await vi.waitFor(() => expect(ofType(events, 'turn-end').some((e) => e.turnId === id)).toBe(true), {
        timeout: 60_000,
      });
      return ofType(events, 'error').find((e) => e.turnId === id);
    };

    // 1. LLM chat: the server quotes the Authorization header in its 401.
    const raw = await collect(conversation.runTurn('hello?'));
    expect(fakes.llm.authorizations.at(-1)).toBe(`Bearer ${KEY}`); // the key really was sent
    expect(leaks(ofType(raw, 'error')[0]!.message)).toEqual([KEY, `Bearer ${KEY}`]); // and quoted back
    expect((await turn('hello?'))?.code).toBe('llm-auth');

    // 2. Model list and 3. connection test, the same server.
    const rawModels = await service.listModels();
    expect(rawModels.ok || leaks(rawModels.error)).toContain(KEY);
    answers.push(await ipc(PREFS_IPC.listModels));
    const rawTest = await service.testConnection();
    expect(rawTest.ok || leaks(rawTest.error)).toContain(KEY);
    answers.push(await ipc(PREFS_IPC.testConnection));

    // 4. A key with a line break (bypassing validation): fetch itself throws, quoting the header.
    conversation.updateSettings({ ...settings, llm: { ...settings.llm, apiKey: BROKEN_KEY } });
    const brokenRaw = await collect(conversation.runTurn('hello?'));
    expect(leaks(ofType(brokenRaw, 'error')[0]!.message)).toEqual(expect.arrayContaining(PIECES));
    expect(await turn('hello again?')).toBeDefined();
    const brokenModels = await service.listModels();
    expect(brokenModels.ok || leaks(brokenModels.error)).toEqual(expect.arrayContaining(PIECES));
    answers.push(await ipc(PREFS_IPC.listModels), await ipc(PREFS_IPC.testConnection));

    // 5. TTS: a clause fails with a message quoting the key.
    conversation.updateSettings(settings);
    fakes.llm.options.apiKey = KEY;
    tts.quote = KEY;
    const ttsError = await turn('say something');
    expect(ttsError?.code).toBe('tts-failed');

    // 6. Voice list.
    expect((await service.listVoices()).ok || voiceError.message).toContain(KEY);
    answers.push(await ipc(PREFS_IPC.listVoices));
    answers.push(await ipc(PREFS_IPC.getSettings), await ipc(PREFS_IPC.getAdvanced));

    await vi.waitFor(() => expect(frames.filter((f) => f.includes('"turn-end"'))).toHaveLength(3));
    expect(ofType(events, 'error')).toHaveLength(3);
    for (const event of events) expect(leaks(JSON.stringify(event)), event.type).toEqual([]);
    for (const frame of frames) expect(leaks(frame)).toEqual([]);
    for (const answer of answers) expect(leaks(JSON.stringify(answer))).toEqual([]);
    for (const line of lines) expect(leaks(line)).toEqual([]);
    // The answers still say what went wrong.
    expect(JSON.stringify(answers)).toContain('[redacted]');
    conversation.close();
  });

  it('a base URL with a password in it (from before validation) shows the password nowhere', async () => {
    const PASSWORD = 'hunter22-url-secret';
    const withCredentials = new URL(fakes.llm.url);
    withCredentials.username = 'me';
    withCredentials.password = PASSWORD;
    const valid = parsePipelineSettings({
      llm: { model: 'kiyo-fake', maxRetries: 0 },
      tts: { providers: { edge: { warmConnections: 0 } } },
    });
    const settings = { ...valid, llm: { ...valid.llm, baseUrl: withCredentials.href } };
    const conversation = new Conversation({
      settings,
      tts: new EdgeTtsEngine(settings.tts.providers.edge, logger, fakes.tts.url),
      logger,
    });
    const raw = await collect(conversation.runTurn('hello?'));
    expect(ofType(raw, 'error')[0]?.message).toContain(PASSWORD); // the raw error quotes the URL

    const seen: PipelineEvent[] = [];
    const runner = new TurnRunner(conversation, (event) => seen.push(event), logger);
    const { service } = preferencesService(conversation, logger, { runner });
    handlers.clear();
    registerPreferencesIpc(service, logger.secrets);
    const id = await runner.say('hello again?');
    await vi.waitFor(() => expect(ofType(seen, 'turn-end').some((e) => e.turnId === id)).toBe(true));
    const answer = await handlers.get(PREFS_IPC.listModels)!({ senderFrame: PREFS }, undefined);
    expect(ofType(seen, 'error')).toHaveLength(1);
    for (const text of [JSON.stringify(seen), JSON.stringify(answer), ...lines])
      expect(text).not.toContain(PASSWORD);
    expect(JSON.stringify(seen)).toContain('[redacted]@127.0.0.1');
    conversation.close();
  });
});
