import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import { serveRunner } from '../../src/main/browser-mode/serve-runner';
import type { Conversation } from '../../src/main/pipeline/conversation';
import { RecentProblems } from '../../src/main/preferences/recent-problems';
import { DEFAULT_OVERLAY_STATE } from '../../src/shared/ipc';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { ERROR_MESSAGES } from '../../src/shared/plain-messages';
import { decodeServerMessage, type ServerMessage } from '../../src/shared/ws-protocol';
import { testLogger } from '../helpers/pipeline-fixture';

const TECHNICAL = 'HTTP 500 from upstream: stack trace and all';

/** A conversation whose every turn fails the same way: enough to see where its events go. */
const failingConversation = {
  async *runTurn(input: string): AsyncGenerator<PipelineEvent> {
    yield { type: 'turn-start', turnId: 'turn-1', input, streaming: true, inputAt: Date.now() };
    yield { type: 'error', turnId: 'turn-1', code: 'llm-server', message: TECHNICAL, retryable: true };
  },
} as unknown as Conversation;

const closers: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function occupiedPort(): Promise<number> {
  return new Promise((resolve) => {
    const blocker: Server = createServer().listen(0, '127.0.0.1', () => {
      closers.push(() => new Promise((done) => blocker.close(done)));
      resolve((blocker.address() as { port: number }).port);
    });
  });
}

async function openPage(server: OverlayServer): Promise<{ ws: WebSocket; received: ServerMessage[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/${server.token}/ws`);
  closers.push(() => ws.close());
  const received: ServerMessage[] = [];
  ws.binaryType = 'arraybuffer';
  ws.on('message', (data, isBinary) =>
    received.push(decodeServerMessage(isBinary ? (data as ArrayBuffer) : data.toString())),
  );
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, received };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('serveRunner', () => {
  it('runs what the page asks for and sends every event as main publishes it, detail kept in main', async () => {
    const problems = new RecentProblems();
    const observed: PipelineEvent[] = [];
    const published: PipelineEvent[] = [];
    const { runner, server } = await serveRunner({
      conversation: failingConversation,
      logger: testLogger(),
      problems,
      observe: (event) => observed.push(event),
      publish: (event) => published.push(event),
      server: { root: '/nonexistent', overlayState: () => DEFAULT_OVERLAY_STATE },
    });
    closers.push(
      () => server.close(),
      () => runner.cancel(),
    );
    const page = await openPage(server);

    page.ws.send(JSON.stringify({ type: 'say', text: 'hello' }));
    await until(() => page.received.some((m) => m.type === 'pipeline' && m.event.type === 'error'));

    const pageError = page.received.find((m) => m.type === 'pipeline' && m.event.type === 'error');
    expect(pageError).toMatchObject({ event: { message: ERROR_MESSAGES['llm-server'] } });
    expect(JSON.stringify(page.received)).not.toContain(TECHNICAL);
    expect(published.find((e) => e.type === 'error')).toMatchObject({
      message: ERROR_MESSAGES['llm-server'],
    });
    expect(observed.find((e) => e.type === 'error')).toMatchObject({ message: TECHNICAL });
    expect(observed[0]).toMatchObject({ type: 'turn-start', input: 'hello' });
    expect(JSON.stringify(problems.list())).toContain(TECHNICAL);
  });

  it('a taken port fails a required server, and moves an optional one to a free port', async () => {
    const port = await occupiedPort();
    const options = {
      conversation: failingConversation,
      server: { root: '/nonexistent', port },
    };
    await expect(serveRunner({ ...options, logger: testLogger() })).rejects.toThrow(/EADDRINUSE/);

    const logs: string[] = [];
    const { server } = await serveRunner({ ...options, logger: testLogger(logs), optional: true });
    expect(server).toBeDefined();
    closers.push(() => server!.close());
    expect(server!.port).not.toBe(port);
    expect(logs.join('\n')).toContain(`port ${port} is taken`);
  });
});
