import { join } from 'node:path';
import { app, clipboard, dialog, ipcMain, session } from 'electron';
import Store from 'electron-store';
import { randomBytes } from 'node:crypto';
import { IPC, playbackStartedSchema, sayRequestSchema, type SayResult } from '../shared/ipc';
import { dispatchClientMessage } from './browser-mode/dispatch-client-message';
import { OverlayServer } from './browser-mode/overlay-server';
import { Conversation } from './pipeline/conversation';
import { createLogger } from './pipeline/logger';
import { EdgeTtsEngine, EDGE_ENDPOINT } from './pipeline/tts/edge-tts-engine';
import { TurnRunner } from './pipeline/turn-runner';
import { overlayHotkeyHandlers, registerHotkeys } from './shell/hotkeys';
import { createOverlayStateStore } from './shell/overlay-state-store';
import { createOverlayWindow, type OverlayWindow } from './shell/overlay-window';
import { findModelEntry } from './files/model-folder';
import { serveCustomModel } from './shell/model-protocol';
import { isTrustedSender, loadPage } from './shell/secure-window';
import { loadPipelineSettings } from './shell/settings-store';
import { createTray, type KiyoTray } from './shell/tray';

const logger = createLogger({ level: (process.env.KIYO_LOG_LEVEL as 'info' | undefined) ?? 'info' });
/** Browser/OBS mode: a stable port so an OBS source keeps working across restarts (0 = any). */
const OBS_PORT = Number(process.env.KIYO_OBS_PORT ?? 7377);

let tray: KiyoTray | undefined; // module scope: a garbage-collected Tray vanishes

if (!app.requestSingleInstanceLock()) app.quit();

const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

async function startOverlayServer(
  runner: TurnRunner,
  overlayState: () => ReturnType<ReturnType<typeof createOverlayWindow>['state']>,
  onPointer: (over: boolean) => void,
): Promise<OverlayServer | undefined> {
  const secrets = new Store<{ obsToken?: string }>({ name: 'browser-mode' });
  let token = secrets.get('obsToken');
  if (!token) {
    token = randomBytes(18).toString('base64url');
    secrets.set('obsToken', token);
  }
  const options = {
    root: join(__dirname, '../renderer'),
    token,
    logger,
    overlayState,
    onMessage: (message: Parameters<typeof dispatchClientMessage>[0]) =>
      dispatchClientMessage(message, runner, onPointer),
  };
  try {
    return await OverlayServer.start({ ...options, port: OBS_PORT });
  } catch (error) {
    logger.warn(
      `port ${OBS_PORT} is taken (${(error as Error).message}); browser/OBS mode uses a random port this time`,
    );
    return OverlayServer.start({ ...options, port: 0 }).catch((e: unknown) => {
      logger.error('browser/OBS mode could not start', e);
      return undefined;
    });
  }
}

/** Lets the user pick a Live2D model folder (model.json / model3.json) for the avatar. */
async function chooseModel(overlay: OverlayWindow): Promise<void> {
  const result = await dialog.showOpenDialog(overlay.window, {
    title: 'Choose a Live2D model folder',
    properties: ['openDirectory'],
  });
  const folder = result.filePaths[0];
  if (result.canceled || !folder) return;
  const entry = findModelEntry(folder);
  if (!entry) {
    await dialog.showMessageBox(overlay.window, {
      type: 'warning',
      message: 'No Live2D model in that folder',
      detail:
        'Choose the folder that contains the model file (*.model3.json for Cubism 4/5, *.model.json for Cubism 2).',
    });
    return;
  }
  overlay.setModel(folder, entry);
}

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const settings = loadPipelineSettings(logger);
  const tts = new EdgeTtsEngine(settings.tts, logger, process.env.KIYO_TTS_ENDPOINT ?? EDGE_ENDPOINT);
  const conversation = new Conversation({ settings, tts, logger });

  const overlay = createOverlayWindow({ logger, store: createOverlayStateStore(logger) });
  serveCustomModel(() => overlay.state().modelFolder);
  const window = overlay.window;
  // The browser/OBS server starts after the runner it serves, but receives every event from then on.
  const browserMode: { server?: OverlayServer } = {};
  const runner = new TurnRunner(
    conversation,
    (event) => {
      if (!window.isDestroyed()) window.webContents.send(IPC.event, event);
      browserMode.server?.publish(event);
    },
    logger,
  );
  const server = await startOverlayServer(
    runner,
    () => overlay.state(),
    () => {},
  );
  browserMode.server = server;
  if (server) logger.info(`browser/OBS overlay: ${server.url.replace(server.token, '<token>')}`);
  overlay.onChange(() => server?.publishOverlayState(overlay.state()));

  const hotkeys = registerHotkeys(overlayHotkeyHandlers(overlay), logger);
  tray = createTray(
    overlay,
    {
      openPreferences: () => logger.info('the preferences window is not built yet'),
      quit: () => app.quit(),
      ...(server && { copyObsUrl: () => clipboard.writeText(server.url) }),
      chooseModel: () => void chooseModel(overlay),
      useDefaultModel: () => overlay.setModel('', ''),
    },
    { hotkeys: hotkeys.registered },
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
  app.on('before-quit', () => {
    tray?.destroy();
    void runner.cancel();
    conversation.close();
    void server?.close();
  });
  app.on('window-all-closed', () => app.quit());
});
