import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { OverlayServer } from '../../src/main/browser-mode/overlay-server';
import type { StreamAudioFormat } from '../../src/shared/audio-format';
import { DEFAULT_OVERLAY_STATE, type OverlayState } from '../../src/shared/ipc';
import type { ClientMessage } from '../../src/shared/ws-protocol';
import { testLogger } from '../helpers/pipeline-fixture';

/**
 * The browser-mode server over the built pages, with no pipeline behind it: a spec publishes
 * events straight to the page and reads what the page sent back. Started before the spec file's
 * tests, closed after them.
 */
export function useStreamServer(options: { root?: string; overlayState?: () => OverlayState } = {}): {
  readonly server: OverlayServer;
  fromPage: ClientMessage[];
  /** Opens the page on this server and waits until its avatar model has loaded. */
  open(page: Page): Promise<void>;
  startTurn(turnId: string): void;
  sendAudio(turnId: string, seq: number, data: Uint8Array, format: StreamAudioFormat): void;
  endTurn(turnId: string): void;
} {
  let server: OverlayServer | undefined;
  const fromPage: ClientMessage[] = [];
  test.beforeAll(async () => {
    server = await OverlayServer.start({
      root: options.root ?? resolve('out/renderer'),
      logger: testLogger(),
      onMessage: (message) => fromPage.push(message),
      overlayState: options.overlayState ?? (() => DEFAULT_OVERLAY_STATE),
    });
  });
  test.afterAll(async () => {
    await server?.close();
  });
  const started = () => {
    if (!server) throw new Error('the stream server starts in beforeAll');
    return server;
  };
  return {
    get server() {
      return started();
    },
    fromPage,
    async open(page) {
      await page.goto(started().url);
      await expect
        .poll(
          () =>
            page.evaluate(
              () => (window as unknown as { __kiyo?: { modelLoaded: boolean } }).__kiyo?.modelLoaded,
            ),
          { timeout: 30_000 },
        )
        .toBe(true);
    },
    startTurn: (turnId) => startTurn(started(), turnId),
    sendAudio: (turnId, seq, data, format) => sendAudio(started(), turnId, seq, data, format),
    endTurn: (turnId) => endTurn(started(), turnId),
  };
}

/** The sample rate of `tone`. */
export const TONE_RATE = 24_000;

/** `seconds` of a steady 220 Hz tone as 16-bit little-endian PCM at TONE_RATE. */
export function tone(seconds: number, amplitude = 8000): Uint8Array {
  const samples = Math.round(seconds * TONE_RATE);
  const bytes = new Uint8Array(samples * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples; i++)
    view.setInt16(i * 2, Math.round(amplitude * Math.sin((i / TONE_RATE) * 2 * Math.PI * 220)), true);
  return bytes;
}

/** A turn's start and its one segment, as main sends them. */
export function startTurn(server: OverlayServer, turnId: string): void {
  server.publish({ type: 'turn-start', turnId, input: 'test', streaming: true, inputAt: Date.now() });
  server.publish({ type: 'segment', turnId, index: 0, displayText: 'Hello.', spokenText: 'Hello.' });
}

/** One audio chunk of segment 0. */
export function sendAudio(
  server: OverlayServer,
  turnId: string,
  seq: number,
  data: Uint8Array,
  format: StreamAudioFormat,
): void {
  server.publish({ type: 'audio', turnId, segmentIndex: 0, seq, format, data });
}

/** The end of segment 0 and of the turn, complete, as main sends them. */
export function endTurn(server: OverlayServer, turnId: string): void {
  server.publish({ type: 'segment-end', turnId, index: 0 });
  server.publish({
    type: 'turn-end',
    turnId,
    reason: 'complete',
    text: 'Hello.',
    spokenText: 'Hello.',
    latency: { inputAt: 0 },
  });
}
