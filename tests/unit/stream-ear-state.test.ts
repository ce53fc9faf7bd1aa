import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveRunner } from '../../src/main/browser-mode/serve-runner';
import { StreamEarState } from '../../src/main/browser-mode/stream-ear-state';
import type { Conversation } from '../../src/main/pipeline/conversation';
import { DEFAULT_OVERLAY_STATE } from '../../src/shared/ipc';
import { parsePipelineSettings } from '../../src/shared/settings';
import type { EarState, VoiceStatus } from '../../src/shared/voice-input';
import { decodeServerMessage, type ServerMessage } from '../../src/shared/ws-protocol';
import { testLogger } from '../helpers/pipeline-fixture';

/** A full report, as the overlay's ear sends it: level, microphones and a problem that must stay in main. */
const status = (state: EarState): VoiceStatus => ({
  state,
  level: 0.42,
  devices: [{ deviceId: 'mic-secret-id', label: 'Studio mic' }],
  problem: 'The microphone is unplugged.',
});

function relay(enabled: { on: boolean }) {
  const published: (EarState | undefined)[] = [];
  const ear = new StreamEarState({ enabled: () => enabled.on, publish: (s) => published.push(s) });
  return { ear, published };
}

describe('StreamEarState: what the OBS page is told about the ear', () => {
  it('with the option off, nothing is published, whatever the ear reports', () => {
    const { ear, published } = relay({ on: false });
    for (const state of ['listening', 'hearing', 'thinking', 'unavailable', 'off'] as const)
      ear.report(status(state));
    ear.settingsChanged();
    expect(published).toEqual([]);
  });

  it('with it on, each change of state once (level-only reports send nothing)', () => {
    const { ear, published } = relay({ on: true });
    ear.report(status('listening'));
    ear.report({ ...status('listening'), level: 0.9 });
    ear.report(status('listening'));
    ear.report(status('hearing'));
    ear.report(status('thinking'));
    ear.report(status('listening'));
    expect(published).toEqual(['listening', 'hearing', 'thinking', 'listening']);
  });

  it('turning it on shows the current state; turning it off clears it once, then nothing', () => {
    const enabled = { on: false };
    const { ear, published } = relay(enabled);
    ear.report(status('hearing'));
    enabled.on = true;
    ear.settingsChanged();
    expect(published).toEqual(['hearing']);
    ear.settingsChanged(); // another setting changed: nothing new
    enabled.on = false;
    ear.settingsChanged();
    expect(published).toEqual(['hearing', undefined]);
    ear.report(status('thinking'));
    ear.report(status('listening'));
    ear.settingsChanged();
    expect(published).toEqual(['hearing', undefined]);
  });
});

describe("serveRunner: the ear's state on the wire", () => {
  const closers: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function openPage(port: number, token: string) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/${token}/ws`);
    closers.push(() => ws.close());
    const received: ServerMessage[] = [];
    const raw: string[] = [];
    ws.on('message', (data, isBinary) => {
      if (!isBinary) raw.push(data.toString());
      received.push(decodeServerMessage(isBinary ? (data as ArrayBuffer) : data.toString()));
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return { received, raw };
  }
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((r) => setTimeout(r, 5));
  };

  it('sends the state word only, to connected and later pages, and only with listen.showStateOnStream on', async () => {
    let settings = parsePipelineSettings({});
    const conversation = {
      get currentSettings() {
        return settings;
      },
    } as unknown as Conversation;
    const { runner, server, streamEar } = await serveRunner({
      conversation,
      logger: testLogger(),
      server: { root: '/nonexistent', overlayState: () => DEFAULT_OVERLAY_STATE },
    });
    closers.push(
      () => server.close(),
      () => runner.cancel(),
    );
    const ears = (page: { received: ServerMessage[] }) =>
      page.received.filter((m) => m.type === 'ear-state').map((m) => m.type === 'ear-state' && m.state);
    // Once a page has the overlay state published after something, it has that something too.
    const barrier = async (page: { received: ServerMessage[] }) => {
      const count = page.received.filter((m) => m.type === 'overlay-state').length;
      server.publishOverlayState(DEFAULT_OVERLAY_STATE);
      await until(() => page.received.filter((m) => m.type === 'overlay-state').length > count);
    };

    // Off (the default): nothing.
    const first = await openPage(server.port, server.token);
    streamEar.report(status('listening'));
    streamEar.report(status('hearing'));
    await barrier(first);
    expect(ears(first)).toEqual([]);

    // On: the current state at once, then each change.
    settings = parsePipelineSettings({ listen: { showStateOnStream: true } });
    streamEar.settingsChanged();
    streamEar.report(status('thinking'));
    await until(() => ears(first).length === 2);
    expect(ears(first)).toEqual(['hearing', 'thinking']);
    for (const frame of first.raw.filter((f) => f.includes('ear-state')))
      expect(JSON.parse(frame)).toEqual({ type: 'ear-state', state: expect.any(String) });
    expect(first.raw.join('\n')).not.toMatch(/0\.42|mic-secret-id|Studio mic|unplugged/);

    // A page that connects now is told the current state.
    const later = await openPage(server.port, server.token);
    await until(() => ears(later).length === 1);
    expect(ears(later)).toEqual(['thinking']);

    // Off again: the badge is cleared once, then nothing, and a new page gets nothing.
    settings = parsePipelineSettings({ listen: { showStateOnStream: false } });
    streamEar.settingsChanged();
    streamEar.report(status('listening'));
    await barrier(first);
    expect(ears(first)).toEqual(['hearing', 'thinking', 'off']);
    const last = await openPage(server.port, server.token);
    await barrier(last);
    expect(ears(last)).toEqual([]);
  });
});
