import { resolve } from 'node:path';
import type { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import { serveRunner } from '../../src/main/browser-mode/serve-runner';
import type { StreamEarState } from '../../src/main/browser-mode/stream-ear-state';
import type { Page } from '@playwright/test';
import { Conversation } from '../../src/main/pipeline/conversation';
import type { Logger } from '../../src/main/pipeline/logger';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { FallbackTtsEngine } from '../../src/main/pipeline/tts/fallback-tts-engine';
import { OfflineTtsEngine } from '../../src/main/pipeline/tts/offline-tts-engine';
import type { TurnRunner } from '../../src/main/pipeline/turn-runner';
import { RecentProblems } from '../../src/main/preferences/recent-problems';
import { DEFAULT_OVERLAY_STATE, type OverlayState } from '../../src/shared/ipc';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { parsePipelineSettings, type PipelineSettingsInput } from '../../src/shared/settings';
import { makeConversation, startFakes, testLogger, type Fakes } from '../helpers/pipeline-fixture';
import { DesktopPages } from '../../src/fakes/desktop-bridge';

function fallbackConversation(
  fakes: Fakes,
  overrides: PipelineSettingsInput,
  logger: Logger,
  edgeEndpoint: string,
): Conversation {
  const settings = parsePipelineSettings({
    ...overrides,
    llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake', maxRetries: 0, ...overrides.llm },
    tts: {
      ...overrides.tts,
      providers: {
        ...overrides.tts?.providers,
        edge: { warmConnections: 1, timeoutMs: 2000, ...overrides.tts?.providers?.edge },
      },
    },
  });
  const tts = new FallbackTtsEngine(
    [
      { label: 'Edge voice', engine: new EdgeTtsEngine(settings.tts.providers.edge, logger, edgeEndpoint) },
      { label: 'offline voice', engine: new OfflineTtsEngine(settings.tts.providers.offline) },
    ],
    logger,
    60_000,
  );
  return new Conversation({ settings, tts, logger });
}

export interface OverlayHost {
  /** The OBS/browser page (its bridge says 'stream'). */
  url: string;
  /** Gives a page Electron's desktop bridge; open `url` afterwards for the desktop overlay. */
  attachDesktop(page: Page): Promise<void>;
  /** The desktop pages' emulated IPC (voice settings, push-to-talk, what the ear sent). */
  desktop: DesktopPages;
  /** Problems with their technical detail, as Preferences → Advanced lists them. */
  problems: RecentProblems;
  setOverlayState(state: Partial<OverlayState>): void;
  server: OverlayServer;
  /** The app's rule for the ear's state on the OBS page: report statuses as the ear's IPC would. */
  streamEar: StreamEarState;
  fakes: Fakes;
  runner: TurnRunner;
  conversation: Conversation;
  /** Events as the pipeline produced them (before main shortened their messages for the UI). */
  events: PipelineEvent[];
  logs: string[];
  close(): Promise<void>;
}

/**
 * The app's browser/OBS mode with the real pipeline against the fake upstreams. With
 * `edgeEndpoint`, speech goes through the app's fallback engine (Edge at that address, else the
 * offline voice), so a test can take Edge down.
 */
export async function startOverlayHost(
  settings: PipelineSettingsInput = {},
  /** `observe`: sees every event as produced, like the app's chat coordinator does. */
  options: { edgeEndpoint?: string; observe?: (event: PipelineEvent) => void } = {},
): Promise<OverlayHost> {
  const fakes = await startFakes({ ttftMs: 50, tokensPerSecond: 80 }, { ttfbMs: 30, realtimeFactor: 0.3 });
  const logs: string[] = [];
  const logger = testLogger(logs);
  // A shared 2-core machine can take seconds to start the fake voice: these tests are about what
  // the page does, so a slow first clause must not turn into a TTS timeout.
  settings = {
    ...settings,
    tts: {
      ...settings.tts,
      providers: {
        ...settings.tts?.providers,
        edge: { timeoutMs: 15_000, ...settings.tts?.providers?.edge },
      },
    },
  };
  const conversation =
    options.edgeEndpoint === undefined
      ? makeConversation(fakes, settings, logger)
      : fallbackConversation(fakes, settings, logger, options.edgeEndpoint);
  const events: PipelineEvent[] = [];
  let overlayState: OverlayState = { ...DEFAULT_OVERLAY_STATE };
  const problems = new RecentProblems();
  // The app's own wiring (short plain messages out, technical detail kept in `problems`).
  const sink: { desktop?: DesktopPages } = {};
  const { runner, server, streamEar } = await serveRunner({
    conversation,
    logger,
    problems,
    observe: (event) => {
      events.push(event);
      options.observe?.(event);
    },
    publish: (event) => sink.desktop?.publish(event),
    server: { root: resolve('out/renderer'), overlayState: () => overlayState },
  });
  const desktop = new DesktopPages(runner, () => overlayState);
  sink.desktop = desktop;
  return {
    url: server.url,
    setOverlayState: (state) => {
      overlayState = { ...overlayState, ...state };
      server.publishOverlayState(overlayState);
      desktop.publishOverlayState(overlayState);
    },
    attachDesktop: (page) => desktop.attach(page),
    desktop,
    problems,
    server,
    streamEar,
    fakes,
    runner,
    conversation,
    events,
    logs,
    close: async () => {
      await runner.cancel();
      conversation.close();
      await server.close();
      await fakes.close();
    },
  };
}
