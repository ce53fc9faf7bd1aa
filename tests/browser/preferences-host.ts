import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
import { fetchEdgeVoices } from '../../src/main/pipeline/tts/edge-voices';
import { modelFileOf, readModelCatalog } from '../../src/main/files/model-catalog';
import { PreferencesService, type OverlayControls } from '../../src/main/preferences/preferences-service';
import { withEmotionMap, type EmotionAction } from '../../src/shared/emotion-map';
import { RecentProblems } from '../../src/main/preferences/recent-problems';
import { forUi } from '../../src/main/preferences/ui-events';
import { DEFAULT_OVERLAY_STATE, type OverlayState } from '../../src/shared/ipc';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import type { HoldToTalkStatus, HotkeyInfo, PrefsChange } from '../../src/shared/preferences-api';
import type { PipelineSettings } from '../../src/shared/settings';
import type { VoiceStatus } from '../../src/shared/voice-input';
import { makeConversation, startFakes, testLogger, type Fakes } from '../helpers/pipeline-fixture';

export interface PreferencesHost {
  url: string;
  fakes: Fakes;
  service: PreferencesService;
  runner: TurnRunner;
  saved: PipelineSettings[];
  events: PipelineEvent[];
  overlay: OverlayState;
  /** Expressions and motions Preferences asked the overlay to preview, in order. */
  previews: EmotionAction[];
  /** The overlay's ear reporting (level, microphones), as main relays it to Preferences. */
  pushVoiceStatus(status: VoiceStatus): Promise<void>;
  /** Hold-to-talk's key hook changed (main's HoldToTalkControl): the hotkey list says so, Preferences is told. */
  setHoldToTalk(status: HoldToTalkStatus): Promise<void>;
  /** Gives the page `window.kiyoPreferences`, backed by the real service over Playwright bindings. */
  attach(page: Page): Promise<void>;
  close(): Promise<void>;
}

/**
 * The preferences page as Electron would show it, with the IPC replaced by a web bridge: the
 * same PreferencesService main uses, against the fake upstreams.
 */
export async function startPreferencesHost(): Promise<PreferencesHost> {
  const fakes = await startFakes();
  const logger = testLogger();
  // A shared 2-core machine can take seconds to start the fake voice (Japanese especially): these
  // tests are about the preferences, so a slow first clause must not become a TTS timeout.
  const conversation = makeConversation(
    fakes,
    { tts: { providers: { edge: { timeoutMs: 15_000 } } } },
    logger,
  );
  const events: PipelineEvent[] = [];
  // Events as main publishes them: short messages out, technical detail kept for Advanced.
  const problems = new RecentProblems();
  const runner = new TurnRunner(conversation, (e) => events.push(forUi(e, problems)), logger);
  const saved: PipelineSettings[] = [];
  const pages = new Set<Page>();
  let overlay: OverlayState = { ...DEFAULT_OVERLAY_STATE };
  let hotkeys: HotkeyInfo[] = [
    {
      id: 'toggleOverlay',
      action: 'Show or hide the overlay',
      accelerator: 'CommandOrControl+Shift+K',
      registered: true,
    },
    {
      id: 'openPreferences',
      action: 'Open preferences',
      accelerator: 'CommandOrControl+Shift+P',
      registered: true,
    },
    {
      id: 'pushToTalk',
      action: 'Push to talk: hold to talk (or press to start, press again to send)',
      accelerator: 'CommandOrControl+Shift+Y',
      registered: true,
      holdToTalk: { state: 'active' },
    },
  ];
  let voiceStatus: VoiceStatus | undefined;
  const controls: OverlayControls = {
    state: () => overlay,
    setScale: (scale) => (overlay = { ...overlay, scale }),
    setAlwaysOnTop: (alwaysOnTop) => (overlay = { ...overlay, alwaysOnTop }),
    setModel: (modelFolder, modelEntry) => (overlay = { ...overlay, modelFolder, modelEntry }),
    setClickThrough: (clickThrough) => (overlay = { ...overlay, clickThrough }),
    setSubtitles: (subtitles) => (overlay = { ...overlay, subtitles }),
    setChatInputVisible: (chatInputVisible) => (overlay = { ...overlay, chatInputVisible }),
    setFrameRateCap: (frameRateCap) => (overlay = { ...overlay, frameRateCap }),
    setRenderScale: (renderScale) => (overlay = { ...overlay, renderScale }),
    setLightLipSync: (lightLipSync) => (overlay = { ...overlay, lightLipSync }),
    setStreamStatus: (streamStatus) => (overlay = { ...overlay, streamStatus }),
    setEmotionMap: (map) => (overlay = { ...overlay, emotionMaps: withEmotionMap(overlay, map) }),
    previewAvatar: (action) => previews.push(action),
  };
  const previews: EmotionAction[] = [];
  const service = new PreferencesService({
    conversation,
    runner,
    save: (settings) => {
      saved.push(settings);
      return { keyPersisted: true };
    },
    overlay: controls,
    logger,
    problems,
    fetchVoices: () => fetchEdgeVoices(fakes.tts.voicesUrl),
    // Stands in for the native folder dialog: the user picks /models/haru.
    chooseModel: async () => controls.setModel('/models/haru', 'haru.model3.json'),
    readModelCatalog: async () => {
      const file = await modelFileOf(overlay, resolve('out/renderer'));
      if (!file) throw new Error("The avatar's model file is missing from its folder.");
      return readModelCatalog(file);
    },
    advanced: {
      logsFolder: '/tmp/kiyo-logs',
      settingsFile: '/tmp/kiyo/settings.json',
      notices: [],
    },
    hotkeys: {
      list: () => hotkeys,
      set: (id, accelerator) => {
        hotkeys = hotkeys.map((h) =>
          h.id !== id
            ? h
            : accelerator === 'Ctrl+Taken'
              ? { ...h, accelerator, registered: false, problem: 'another application has registered it' }
              : { ...h, accelerator, registered: accelerator !== '', problem: undefined },
        );
        return hotkeys;
      },
    },
    openLogsFolder: async () => {},
    voiceStatus: () => voiceStatus,
    notify: (change: PrefsChange) => {
      for (const page of pages)
        void page
          .evaluate((c) => window.dispatchEvent(new CustomEvent('kiyo-prefs-changed', { detail: c })), change)
          .catch(() => {});
    },
  });
  const server = await OverlayServer.start({ root: resolve('out/renderer'), logger, onMessage: () => {} });
  const host: PreferencesHost = {
    url: `http://127.0.0.1:${server.port}/${server.token}/preferences.html`,
    fakes,
    service,
    runner,
    saved,
    events,
    get overlay() {
      return overlay;
    },
    previews,
    async pushVoiceStatus(status) {
      voiceStatus = status;
      for (const page of pages)
        await page
          .evaluate((s) => window.dispatchEvent(new CustomEvent('kiyo-voice-status', { detail: s })), status)
          .catch(() => {});
    },
    async setHoldToTalk(status) {
      hotkeys = hotkeys.map((h) => (h.id === 'pushToTalk' ? { ...h, holdToTalk: status } : h));
      for (const page of pages)
        await page
          .evaluate(() => window.dispatchEvent(new CustomEvent('kiyo-prefs-changed', { detail: 'settings' })))
          .catch(() => {});
    },
    async attach(page) {
      pages.add(page);
      await page.exposeBinding('__kiyoPrefsCall', (_source, method: string, arg: unknown) => {
        const fn = (service as unknown as Record<string, (a: unknown) => unknown>)[method];
        if (typeof fn !== 'function') throw new Error(`no method ${method}`);
        return fn.call(service, arg);
      });
      await page.addInitScript(() => {
        const call = (method: string) => (arg?: unknown) =>
          (
            window as unknown as { __kiyoPrefsCall: (m: string, a: unknown) => Promise<unknown> }
          ).__kiyoPrefsCall(method, arg);
        const methods = [
          'getSettings',
          'updateSettings',
          'confirmApiKeyOrigin',
          'resetSettings',
          'listModels',
          'testConnection',
          'listVoices',
          'previewVoice',
          'getOverlay',
          'chooseAvatar',
          'useDefaultAvatar',
          'updateOverlay',
          'getAvatarCatalog',
          'previewAvatar',
          'getLatency',
          'getAdvanced',
          'setLogLevel',
          'setHotkey',
          'openLogsFolder',
          'getVoiceStatus',
        ];
        const bridge: Record<string, unknown> = Object.fromEntries(methods.map((m) => [m, call(m)]));
        bridge.onChanged = (listener: (what: string) => void) => {
          const handler = (e: Event) => listener((e as CustomEvent<string>).detail);
          window.addEventListener('kiyo-prefs-changed', handler);
          return () => window.removeEventListener('kiyo-prefs-changed', handler);
        };
        bridge.onVoiceStatus = (listener: (status: unknown) => void) => {
          const handler = (e: Event) => listener((e as CustomEvent<unknown>).detail);
          window.addEventListener('kiyo-voice-status', handler);
          return () => window.removeEventListener('kiyo-voice-status', handler);
        };
        (window as unknown as { kiyoPreferences: unknown }).kiyoPreferences = bridge;
      });
    },
    close: async () => {
      await runner.cancel();
      conversation.close();
      await server.close();
      await fakes.close();
    },
  };
  return host;
}
