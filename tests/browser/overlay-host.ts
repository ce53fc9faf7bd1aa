import { resolve } from 'node:path';
import { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import { dispatchClientMessage } from '../../src/main/browser-mode/dispatch-client-message';
import type { Conversation } from '../../src/main/pipeline/conversation';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
import { DEFAULT_OVERLAY_STATE, type OverlayState } from '../../src/shared/ipc';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import type { PipelineSettingsInput } from '../../src/shared/settings';
import { makeConversation, startFakes, testLogger, type Fakes } from '../helpers/pipeline-fixture';

export interface OverlayHost {
  url: string;
  setOverlayState(state: Partial<OverlayState>): void;
  server: OverlayServer;
  fakes: Fakes;
  runner: TurnRunner;
  conversation: Conversation;
  events: PipelineEvent[];
  logs: string[];
  close(): Promise<void>;
}

/** The app's browser/OBS mode with the real pipeline against the fake upstreams. */
export async function startOverlayHost(settings: PipelineSettingsInput = {}): Promise<OverlayHost> {
  const fakes = await startFakes({ ttftMs: 50, tokensPerSecond: 80 }, { ttfbMs: 30, realtimeFactor: 0.3 });
  const logs: string[] = [];
  const logger = testLogger(logs);
  const conversation = makeConversation(fakes, settings, logger);
  const events: PipelineEvent[] = [];
  const sink: { server?: OverlayServer } = {};
  let overlayState: OverlayState = { ...DEFAULT_OVERLAY_STATE };
  const runner = new TurnRunner(
    conversation,
    (event) => {
      events.push(event);
      sink.server?.publish(event);
    },
    logger,
  );
  const server = await OverlayServer.start({
    root: resolve('out/renderer'),
    logger,
    onMessage: (message) => dispatchClientMessage(message, runner),
    overlayState: () => overlayState,
  });
  sink.server = server;
  return {
    url: server.url,
    setOverlayState: (state) => {
      overlayState = { ...overlayState, ...state };
      server.publishOverlayState(overlayState);
    },
    server,
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
