import { app, ipcMain, session } from 'electron';
import { IPC, playbackStartedSchema, sayRequestSchema, type SayResult } from '../shared/ipc';
import { Conversation } from './pipeline/conversation';
import { createLogger } from './pipeline/logger';
import { EdgeTtsEngine, EDGE_ENDPOINT } from './pipeline/tts/edge-tts-engine';
import { TurnRunner } from './pipeline/turn-runner';
import { createSecureWindow, isTrustedSender, loadPage } from './shell/secure-window';
import { loadPipelineSettings } from './shell/settings-store';

const logger = createLogger({ level: (process.env.KIYO_LOG_LEVEL as 'info' | undefined) ?? 'info' });

if (!app.requestSingleInstanceLock()) app.quit();

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const settings = loadPipelineSettings(logger);
  const tts = new EdgeTtsEngine(settings.tts, logger, process.env.KIYO_TTS_ENDPOINT ?? EDGE_ENDPOINT);
  const conversation = new Conversation({ settings, tts, logger });

  const window = createSecureWindow({ width: 480, height: 640, title: 'Kiyo', show: false });
  window.once('ready-to-show', () => window.show());
  const runner = new TurnRunner(
    conversation,
    (event) => {
      if (!window.isDestroyed()) window.webContents.send(IPC.event, event);
    },
    logger,
  );

  ipcMain.handle(IPC.say, async (event, payload): Promise<SayResult> => {
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: 'untrusted sender' };
    const request = sayRequestSchema.safeParse(payload);
    if (!request.success)
      return { ok: false, error: 'Type something for Kiyo to answer (at most 4,000 characters).' };
    return { ok: true, turnId: await runner.say(request.data.text) };
  });
  ipcMain.on(IPC.cancel, (event) => {
    if (isTrustedSender(event.senderFrame)) void runner.cancel();
  });
  ipcMain.on(IPC.playbackStarted, (event, payload) => {
    const report = playbackStartedSchema.safeParse(payload);
    if (isTrustedSender(event.senderFrame) && report.success) {
      runner.playbackStarted(report.data.turnId, report.data.afterChunkMs);
    }
  });

  await loadPage(window, 'index.html');
  app.on('window-all-closed', () => {
    conversation.close();
    app.quit();
  });
});
