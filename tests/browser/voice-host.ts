import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from '../../src/fakes/chromium';
import { FakeOpenAiTranscriptionServer } from '../../src/fakes/fake-openai-transcription-server';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { voiceInputSchema, type VoiceInputSettings } from '../../src/shared/voice-input';
import type { PipelineSettingsInput } from '../../src/shared/settings';
import { writeMicWav, type MicPart } from '../../src/fakes/utterance-wav';
import { startOverlayHost, type OverlayHost } from './overlay-host';

/** What the ear exposes for tests (src/renderer/src/voice/use-ear.tsx). */
export interface EarDebug {
  state: string;
  frames: number;
  maxProbability: number;
  sent: {
    speechMs: number;
    sinceSpeechEndMs: number;
    bytes: number;
    /** Page-clock stamps of the utterance's way out (utterance-steps.ts). */
    steps?: Record<string, number>;
  }[];
  interruptions: number;
  listenedAt: number;
  firstArrivedAt: number;
  dropped: number;
  misfires: number;
  /** Microphone audio the capture lost so far (capture-clock.ts), ms. */
  captureLostMs: number;
}
/** The overlay's own debug numbers (debug-hook.ts), as far as these tests read them. */
export interface KiyoPage {
  __kiyo: { activeSources: number; modelLoaded: boolean; firstSamples: { turnId: string }[] };
}
declare global {
  interface Window {
    __kiyoEar?: EarDebug;
  }
}

/**
 * The desktop overlay with its ear in plain Chromium: the app's runner (real pipeline against the
 * fakes, and the fake transcription server), Electron's bridge emulated (desktop-bridge.ts), and
 * a browser of its own per microphone, since Chromium takes its fake microphone's file at launch.
 */
export interface VoiceHost extends OverlayHost {
  stt: FakeOpenAiTranscriptionServer;
  /** Launches Chromium whose microphone plays `parts` (looped), or with no microphone / denied. */
  openEar(
    mic: MicPart[] | 'absent' | 'denied',
    listen?: Partial<VoiceInputSettings>,
    /** Runs on the new page before it loads (routes, init scripts). */
    beforeLoad?: (page: Page) => Promise<void>,
  ): Promise<{ page: Page; browser: Browser }>;
  setListen(listen: Partial<VoiceInputSettings>): void;
  /** Closes every browser openEar launched (call after each test: pages would go on listening). */
  closeEars(): Promise<void>;
  turnEvents(turnId: string): PipelineEvent[];
  /** Turn ids of voice turns, in order. */
  voiceTurns(): string[];
}

export async function startVoiceHost(
  settings: PipelineSettingsInput = {},
  stt: { latencyMs?: number } = {},
): Promise<VoiceHost> {
  const transcription = await FakeOpenAiTranscriptionServer.start({
    latencyMs: stt.latencyMs ?? 60,
    perAudioSecondMs: 0,
  });
  const host = await startOverlayHost({
    ...settings,
    stt: { providers: { openai: { baseUrl: transcription.url, model: 'whisper-1', timeoutMs: 3000 } } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'kiyo-ear-'));
  const browsers: Browser[] = [];
  const executablePath = (await resolveChromium()).path;
  let listen: VoiceInputSettings = voiceInputSchema.parse({ mode: 'hands-free' });
  let files = 0;
  return {
    ...host,
    stt: transcription,
    async openEar(mic, overrides = {}, beforeLoad) {
      const args = [...CHROMIUM_ARGS];
      // Denied: a microphone exists and the page is refused it (below). Absent: none exists.
      if (mic === 'denied') args.push('--use-fake-device-for-media-stream');
      else args.push('--use-fake-ui-for-media-stream');
      if (mic !== 'absent' && mic !== 'denied') {
        const file = writeMicWav(join(dir, `mic-${files++}.wav`), mic);
        args.push('--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${file}`);
      }
      const browser = await chromium.launch({ executablePath, args, headless: true });
      browsers.push(browser);
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.warn(`page error: ${e.message}`));
      // Headless Chromium cannot show (or be told to refuse) a permission prompt: it fails such a
      // request with NotSupportedError. Electron's refusal (session-policy.ts) and a browser's
      // reach the page as NotAllowedError, which is what this gives it.
      if (mic === 'denied')
        await page.addInitScript(() => {
          navigator.mediaDevices.getUserMedia = () =>
            Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        });
      await countMicrophoneAsks(page);
      // Each page starts from the defaults in hands-free, plus what this test asks for.
      listen = voiceInputSchema.parse({ mode: 'hands-free', ...overrides });
      host.desktop.voiceInput = listen;
      await host.attachDesktop(page);
      await beforeLoad?.(page);
      await page.goto(host.url);
      return { page, browser };
    },
    setListen(overrides) {
      listen = voiceInputSchema.parse({ ...listen, ...overrides });
      host.desktop.publishVoiceInput(listen);
    },
    async closeEars() {
      for (const browser of browsers.splice(0)) await browser.close().catch(() => {});
      await host.runner.cancel();
    },
    turnEvents: (turnId) => host.events.filter((e) => e.turnId === turnId),
    voiceTurns: () =>
      host.events.flatMap((e) => (e.type === 'turn-start' && e.source?.kind === 'voice' ? [e.turnId] : [])),
    async close() {
      for (const browser of browsers) await browser.close().catch(() => {});
      await host.close();
      await transcription.close();
    },
  };
}

export const ear = (page: Page) => page.evaluate(() => window.__kiyoEar);

/** Counts the page's getUserMedia calls in `window.__micAsks` (installed before the page loads). */
export async function countMicrophoneAsks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __micAsks: number };
    w.__micAsks = 0;
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => {
      w.__micAsks++;
      return original(constraints);
    };
  });
}

export const micAsks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __micAsks?: number }).__micAsks ?? 0);
