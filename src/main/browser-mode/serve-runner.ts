import type { PipelineEvent } from '../../shared/pipeline-events';
import type { Conversation } from '../pipeline/conversation';
import type { Logger } from '../pipeline/logger';
import { TurnRunner } from '../pipeline/turn-runner';
import { RecentProblems } from '../preferences/recent-problems';
import { forUi } from '../preferences/ui-events';
import { dispatchClientMessage } from './dispatch-client-message';
import { OverlayServer, type OverlayServerOptions } from './overlay-server';
import { StreamEarState } from './stream-ear-state';

export interface ServeRunnerOptions {
  conversation: Conversation;
  logger: Logger;
  /** Keeps the technical detail of what the pages were told in short (Preferences → Advanced). */
  problems?: RecentProblems;
  /** Sees every event as the pipeline produced it, before its message is shortened for people. */
  observe?(event: PipelineEvent): void;
  /** Other receivers of the events the OBS page gets: the desktop overlay window. */
  publish?(event: PipelineEvent): void;
  server: Omit<OverlayServerOptions, 'logger' | 'onMessage'>;
  /**
   * The app's browser/OBS mode must not stop the app: if its port is taken any free port is used,
   * and if it cannot start at all the runner runs without it (logged). Otherwise starting throws.
   */
  optional?: boolean;
}

export interface ServedRunner<Server = OverlayServer> {
  runner: TurnRunner;
  server: Server;
  /** The desktop ear's state for the pages (`listen.showStateOnStream`): feed it the ear's reports. */
  streamEar: StreamEarState;
}

/**
 * The one wiring of a TurnRunner to the browser/OBS server: each event leaves as main publishes
 * it (plain messages, see forUi) for the page and `publish`, and what a page asks for is carried
 * out on the runner. The app, the browser test host and the browser benchmark all call this, so
 * the tests and the benchmark run the app's own wiring.
 */
export function serveRunner(options: ServeRunnerOptions & { optional?: false }): Promise<ServedRunner>;
/** An `optional` server is undefined when it could not start. */
export function serveRunner(
  options: ServeRunnerOptions & { optional: true },
): Promise<ServedRunner<OverlayServer | undefined>>;
export async function serveRunner(
  options: ServeRunnerOptions,
): Promise<ServedRunner<OverlayServer | undefined>> {
  const { logger, observe, publish } = options;
  const problems = options.problems ?? new RecentProblems();
  // The server starts after the runner it serves, and receives every event from then on.
  const served: { server?: OverlayServer } = {};
  const runner = new TurnRunner(
    options.conversation,
    (pipelineEvent) => {
      observe?.(pipelineEvent);
      const event = forUi(pipelineEvent, problems);
      publish?.(event);
      served.server?.publish(event);
    },
    logger,
  );
  const serverOptions: OverlayServerOptions = {
    ...options.server,
    logger,
    onMessage: (message) => dispatchClientMessage(message, runner),
  };
  served.server = options.optional
    ? await startOptional(serverOptions)
    : await OverlayServer.start(serverOptions);
  const streamEar = new StreamEarState({
    enabled: () => options.conversation.currentSettings.listen.showStateOnStream,
    publish: (state) => served.server?.publishEarState(state),
  });
  return { runner, server: served.server, streamEar };
}

async function startOptional(options: OverlayServerOptions): Promise<OverlayServer | undefined> {
  const { logger, port = 0 } = options;
  if (port !== 0) {
    try {
      return await OverlayServer.start(options);
    } catch (error) {
      logger.warn(
        `port ${port} is taken (${(error as Error).message}); browser/OBS mode uses a random port this time`,
      );
    }
  }
  try {
    return await OverlayServer.start({ ...options, port: 0 });
  } catch (error) {
    logger.error('browser/OBS mode could not start', error);
    return undefined;
  }
}
