import { join } from 'node:path';
import { app, clipboard, shell } from 'electron';
import { IPC } from '../shared/ipc';
import { PREFS_IPC } from '../shared/preferences-api';
import { obsToken } from './browser-mode/obs-token';
import { serveRunner } from './browser-mode/serve-runner';
import { Conversation } from './pipeline/conversation';
import { LlmClient } from './pipeline/llm-stream';
import { fetchEdgeVoices } from './pipeline/tts/edge-voices';
import { closeEspeak } from './pipeline/tts/espeak-wasm';
import { PhraseCache } from './pipeline/tts/phrase-cache';
import { PhraseCacheStore } from './pipeline/tts/phrase-cache-store';
import { ProviderTtsEngine } from './pipeline/tts/provider-tts-engine';
import { registerPreferencesIpc } from './preferences/preferences-ipc';
import { PreferencesService } from './preferences/preferences-service';
import { RecentProblems } from './preferences/recent-problems';
import { envOverrides } from './settings/env-overrides';
import { createSafeStorageCipher } from './settings/safe-storage-cipher';
import { SettingsFileStore } from './settings/settings-file-store';
import { createAppLogger } from './shell/app-logger';
import { installCrashGuard } from './shell/crash-guard';
import { HotkeyManager } from './shell/hotkey-manager';
import { overlayHotkeyHandlers } from './shell/hotkeys';
import { modelFileOf, readModelCatalog } from './files/model-catalog';
import { chooseModel } from './shell/model-dialog';
import { serveCustomModel } from './shell/model-protocol';
import { createOverlayStateStore } from './shell/overlay-state-store';
import { registerOverlayIpc } from './shell/overlay-ipc';
import { createOverlayWindow } from './shell/overlay-window';
import { preferencesWindow } from './shell/preferences-window';
import { loadPage } from './shell/secure-window';
import { createChatShell } from './shell/chat-shell';
import { applySessionPolicy } from './shell/session-policy';
import { settingsNotices, warnAboutSettings } from './shell/settings-notices';
import { createTray, type KiyoTray } from './shell/tray';
import { wireVoice } from './shell/voice-shell';

/** Browser/OBS mode: a stable port so an OBS source keeps working across restarts (0 = any). */
const OBS_PORT = Number(process.env.KIYO_OBS_PORT ?? 7377);

let tray: KiyoTray | undefined; // module scope: a garbage-collected Tray vanishes

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  const logger = createAppLogger(app.getPath('logs'));
  installCrashGuard(logger);
  applySessionPolicy();

  // Settings: validated, repaired and migrated on load; the API key is decrypted only here.
  const store = new SettingsFileStore({
    cipher: createSafeStorageCipher(),
    logger,
    cwd: app.getPath('userData'),
  });
  const loaded = store.load();
  const notices = settingsNotices(loaded);
  warnAboutSettings(loaded, notices, logger);
  const overrides = envOverrides(process.env, logger);
  if (overrides.active.length > 0)
    logger.info(`settings overridden for this run by ${overrides.active.join(', ')}`);
  let saved = loaded.settings;

  // The chosen voice and its fallbacks, from the provider registry; Conversation passes it every
  // settings change, so a new choice speaks from the next reply.
  const effective = overrides.apply(loaded.settings);
  // Synthesised phrases, kept across restarts in the user-data folder (read in the background).
  const phraseCache = new PhraseCache(effective.phraseCache.sizeMb * 2 ** 20);
  const phraseStore = new PhraseCacheStore(
    join(app.getPath('userData'), 'phrase-cache.bin'),
    phraseCache,
    logger,
  );
  void phraseStore.load();
  const tts = new ProviderTtsEngine(effective.tts, {
    logger,
    endpoints: { ...(overrides.ttsEndpoint && { edge: overrides.ttsEndpoint }) },
    phraseCache,
  });
  // Live chat: answers to viewers are moderated as the LLM streams them (chat/moderated-replies.ts).
  const chat = createChatShell({
    logger,
    cipher: createSafeStorageCipher(),
    userData: app.getPath('userData'),
    settings: effective,
  });
  const conversation = new Conversation({
    settings: effective,
    tts,
    logger,
    llm: chat.llm(new LlmClient(logger)),
  });

  const overlay = createOverlayWindow({ logger, store: createOverlayStateStore(logger) });
  serveCustomModel(() => overlay.state().modelFolder);
  const prefsWindow = preferencesWindow();

  // The windows and the OBS page get short plain messages; the technical detail stays here.
  const problems = new RecentProblems({
    redact: (text) => logger.secrets.redact(text),
  });
  const { runner, server, streamEar } = await serveRunner({
    conversation,
    logger,
    problems,
    observe: (event) => chat.observe(event),
    publish: (event) => {
      if (!overlay.window.isDestroyed()) overlay.window.webContents.send(IPC.event, event);
    },
    server: {
      root: join(__dirname, '../renderer'),
      token: obsToken(),
      port: OBS_PORT,
      overlayState: () => overlay.state(),
      extraRoutes: (req, res) => chat.extraRoutes(req, res),
    },
    optional: true,
  });
  if (server) logger.info(`browser/OBS overlay: ${server.url.replace(server.token, '<token>')}`);
  chat.attach(runner, server?.port, (channel) => prefsWindow.send(channel, undefined));
  // The ear: utterances and status from the overlay page, `listen` pushed to it, push-to-talk.
  const voice = wireVoice({
    overlay: overlay.window.webContents,
    runner,
    listen: () => conversation.currentSettings.listen,
    onStatus: (status) => {
      prefsWindow.send(PREFS_IPC.voiceStatus, status);
      // The OBS page gets the state word only, and only with listen.showStateOnStream on.
      streamEar.report(status);
      // The streamer is speaking: no chat answer starts meanwhile (the utterance then interrupts
      // or waits for one in progress, per chat.streamerFirst).
      if (status.state === 'hearing') chat.streamerActive();
    },
    // Preferences → Listening re-reads the hotkeys, where hold-to-talk's status is.
    onHoldToTalk: () => prefsWindow.send(PREFS_IPC.changed, 'settings'),
    logger,
  });
  overlay.onChange(() => server?.publishOverlayState(overlay.state()));

  const hotkeys = new HotkeyManager(
    { ...overlayHotkeyHandlers(overlay, () => prefsWindow.open()), pushToTalk: voice.pushToTalk },
    logger,
  );
  // Hold-to-talk watches the push-to-talk shortcut as registered (and only in push-to-talk mode).
  voice.setPushToTalkKey(hotkeys.registered.pushToTalk);
  tray = createTray(
    overlay,
    {
      openPreferences: () => prefsWindow.open(),
      quit: () => app.quit(),
      chooseModel: () => void chooseModel(overlay),
      useDefaultModel: () => overlay.setModel('', ''),
      ...(server && { copyObsUrl: () => clipboard.writeText(server.url) }),
    },
    { hotkeys: () => hotkeys.registered },
  );

  const preferences = new PreferencesService({
    conversation,
    runner,
    save: (settings) => {
      const result = store.save(overrides.forStorage(settings, saved));
      saved = overrides.forStorage(settings, saved);
      return result;
    },
    overlay,
    logger,
    problems,
    fetchVoices: () => fetchEdgeVoices(overrides.voicesUrl),
    chooseModel: () => chooseModel(overlay),
    readModelCatalog: async () => {
      const file = await modelFileOf(overlay.state(), join(__dirname, '../renderer'));
      if (!file) throw new Error("The avatar's model file is missing from its folder.");
      return readModelCatalog(file);
    },
    advanced: {
      logsFolder: app.getPath('logs'),
      settingsFile: store.path,
      notices,
      ...(server && { obsUrl: server.url }),
    },
    hotkeys: {
      list: () => voice.withHoldToTalk(hotkeys.list()),
      set: (id, accelerator) => {
        const result = hotkeys.set(id, accelerator);
        tray?.rebuild();
        voice.setPushToTalkKey(hotkeys.registered.pushToTalk);
        return voice.withHoldToTalk(result);
      },
    },
    openLogsFolder: async () => {
      await shell.openPath(app.getPath('logs'));
    },
    voiceStatus: voice.status,
    notify: (change) => {
      prefsWindow.send(PREFS_IPC.changed, change);
      if (change === 'settings') chat.settingsChanged(conversation.currentSettings);
      if (change === 'settings') voice.settingsChanged();
      if (change === 'settings') streamEar.settingsChanged();
    },
  });
  // The logger's registry knows the key (the settings store and the conversation register it).
  registerPreferencesIpc(preferences, logger.secrets);
  overlay.onChange(() => prefsWindow.send(PREFS_IPC.changed, 'overlay'));

  registerOverlayIpc(runner);

  await loadPage(overlay.window, 'index.html');
  app.on('before-quit', () => {
    tray?.destroy();
    // Stops the global key hook (hold-to-talk) and ends a talk in progress.
    voice.dispose();
    void runner.cancel();
    chat.close();
    conversation.close();
    phraseStore.close();
    // The offline voice's worker thread: stopped rather than left to the process's exit.
    void closeEspeak();
    void server?.close();
  });
  app.on('window-all-closed', () => app.quit());
});
