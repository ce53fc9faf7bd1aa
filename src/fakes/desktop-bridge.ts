import type { Page } from '@playwright/test';
import type { TurnRunner } from '../main/pipeline/turn-runner';
import { playbackFinishedSchema, sayRequestSchema, type OverlayState } from '../shared/ipc';
import type { PipelineEvent } from '../shared/pipeline-events';
import {
  utteranceSchema,
  voiceStatusSchema,
  type Utterance,
  type VoiceInputSettings,
  type VoiceStatus,
} from '../shared/voice-input';

/**
 * Electron's preload bridge (`window.kiyo`, kind 'desktop') for the overlay page in plain
 * Chromium: calls go to the same TurnRunner main uses, over Playwright bindings, and events come
 * back in order through page.evaluate, as IPC would deliver them. The page itself is the built
 * one, unchanged: it picks its desktop layout from the bridge, as in the app.
 */
export class DesktopPages {
  private readonly pages = new Set<Attached>();
  /** Utterances the pages sent that passed the schema (and went to runner.hear), in order. */
  readonly utterances: Utterance[] = [];
  /**
   * For each accepted utterance, when (performance.timeOrigin + now(), ms since the epoch) it
   * reached this side and when runner.hear was called: the voice benchmark's transport step.
   */
  readonly utteranceArrivals: { receivedAt: number; heardAt: number }[] = [];
  /** Utterances refused by the schema, with zod's reason. */
  readonly refusedUtterances: string[] = [];
  /** Every VoiceStatus the pages reported (as Preferences' level meter would get them). */
  readonly voiceStatuses: VoiceStatus[] = [];
  retries = 0;
  /** The voice input settings main would send on load and on change; undefined = not sent yet. */
  voiceInput: VoiceInputSettings | undefined;

  constructor(
    private readonly runner: TurnRunner,
    private readonly overlayState: () => OverlayState,
  ) {}

  async attach(page: Page): Promise<void> {
    await page.exposeBinding('__kiyoDesktopCall', async (_source, method: string, arg: unknown) => {
      const report = arg as { turnId: string; afterChunkMs: number; segmentsHeard: number };
      switch (method) {
        case 'say': {
          // As main's IPC handler: the same schema, the same answer.
          const request = sayRequestSchema.safeParse({ text: arg });
          if (!request.success)
            return { ok: false, error: 'Type something for Kiyo to answer (at most 4,000 characters).' };
          return { ok: true, turnId: await this.runner.say(request.data.text) };
        }
        case 'cancel':
          return void this.runner.cancel();
        case 'playbackStarted':
          return this.runner.playbackStarted(report.turnId, report.afterChunkMs);
        case 'playbackStopped':
          return this.runner.playbackStopped(report.turnId, report.segmentsHeard);
        case 'playbackFinished': {
          // As main's IPC handler: the shared schema, then the runner.
          const finished = playbackFinishedSchema.safeParse(arg);
          return finished.success ? this.runner.playbackFinished(finished.data.turnId) : undefined;
        }
        case 'overlayState':
          return this.overlayState();
        case 'utterance': {
          const receivedAt = performance.timeOrigin + performance.now();
          // As main's IPC handler: structured clone gives main a Uint8Array; here it came as base64.
          const raw = arg as { wav: string; speechMs: unknown; sinceSpeechEndMs: unknown };
          const parsed = utteranceSchema.safeParse({
            ...raw,
            wav: new Uint8Array(Buffer.from(raw.wav, 'base64')),
          });
          if (!parsed.success) return void this.refusedUtterances.push(parsed.error.message);
          this.utterances.push(parsed.data);
          this.utteranceArrivals.push({ receivedAt, heardAt: performance.timeOrigin + performance.now() });
          return void this.runner.hear(parsed.data);
        }
        case 'retryUtterance':
          this.retries++;
          return void this.runner.retryUtterance();
        case 'voiceStatus': {
          const status = voiceStatusSchema.safeParse(arg);
          if (status.success) this.voiceStatuses.push(status.data);
          return undefined;
        }
        case 'voiceInput':
          return this.voiceInput;
        default:
          return undefined;
      }
    });
    await page.addInitScript(() => {
      type Listener = (value: unknown) => void;
      type Message = { name: 'event' | 'state' | 'voiceInput' | 'pushToTalk'; detail: unknown };
      const call = (method: string, arg?: unknown) =>
        (
          window as unknown as { __kiyoDesktopCall: (m: string, a: unknown) => Promise<unknown> }
        ).__kiyoDesktopCall(method, arg);
      const events = new Set<Listener>();
      const states = new Set<Listener>();
      const voiceInputs = new Set<Listener>();
      const pushToTalks = new Set<Listener>();
      window.addEventListener('kiyo-desktop', (e) => {
        for (const { name, detail } of (e as CustomEvent<Message[]>).detail) {
          if (name === 'state') {
            for (const listener of states) listener(detail);
            continue;
          }
          if (name === 'voiceInput' || name === 'pushToTalk') {
            for (const listener of name === 'voiceInput' ? voiceInputs : pushToTalks) listener(detail);
            continue;
          }
          const event = detail as { type: string; data?: unknown };
          if (event.type === 'audio') {
            event.data = Uint8Array.from(atob(event.data as string), (c) => c.charCodeAt(0));
          }
          for (const listener of events) listener(event);
        }
      });
      (window as unknown as { kiyo: unknown }).kiyo = {
        kind: 'desktop',
        say: (text: string) => call('say', text),
        cancel: () => void call('cancel'),
        reportPlaybackStarted: (report: unknown) => void call('playbackStarted', report),
        reportPlaybackStopped: (report: unknown) => void call('playbackStopped', report),
        reportPlaybackFinished: (report: unknown) => void call('playbackFinished', report),
        setPointerOverAvatar: () => {},
        onEvent(listener: Listener) {
          events.add(listener);
          return () => events.delete(listener);
        },
        onOverlayState(listener: Listener) {
          states.add(listener);
          void call('overlayState').then(listener);
          return () => states.delete(listener);
        },
        sendUtterance(utterance: { wav: Uint8Array; speechMs: number; sinceSpeechEndMs: number }) {
          // Bindings carry JSON only. The browser's native base64 (Chromium 140+) costs the page
          // about a millisecond for a sentence, where Electron's structured clone costs less
          // still; the string loop (older browsers) blocked it for 10–55 ms.
          const native = (utterance.wav as { toBase64?: () => string }).toBase64?.();
          let binary = '';
          if (native === undefined)
            for (let i = 0; i < utterance.wav.length; i += 0x8000)
              binary += String.fromCharCode(...utterance.wav.subarray(i, i + 0x8000));
          void call('utterance', { ...utterance, wav: native ?? btoa(binary) });
        },
        retryUtterance: () => void call('retryUtterance'),
        onVoiceInput(listener: Listener) {
          voiceInputs.add(listener);
          void call('voiceInput').then((settings) => settings && listener(settings));
          return () => voiceInputs.delete(listener);
        },
        onPushToTalk(listener: Listener) {
          pushToTalks.add(listener);
          return () => pushToTalks.delete(listener);
        },
        reportVoiceStatus: (status: unknown) => void call('voiceStatus', status),
      };
    });
    const entry: Attached = { page, pending: [], flushing: false };
    this.pages.add(entry);
    page.on('close', () => this.pages.delete(entry));
  }

  publish(event: PipelineEvent): void {
    const detail =
      event.type === 'audio' ? { ...event, data: Buffer.from(event.data).toString('base64') } : event;
    this.dispatch({ name: 'event', detail });
  }

  publishOverlayState(state: OverlayState): void {
    this.dispatch({ name: 'state', detail: state });
  }

  /** As main on load and on every change of the `listen` settings. */
  publishVoiceInput(settings: VoiceInputSettings): void {
    this.voiceInput = settings;
    this.dispatch({ name: 'voiceInput', detail: settings });
  }

  /** As main's push-to-talk hotkey: down (true) or up (false). */
  publishPushToTalk(down: boolean): void {
    this.dispatch({ name: 'pushToTalk', detail: down });
  }

  /**
   * In order, and without a round trip per event: what arrives while a batch is on its way goes
   * in the next one (a turn's many text deltas would otherwise hold its audio back).
   */
  private dispatch(message: Message): void {
    for (const entry of this.pages) {
      entry.pending.push(message);
      if (!entry.flushing) void this.flush(entry);
    }
  }

  private async flush(entry: Attached): Promise<void> {
    entry.flushing = true;
    while (entry.pending.length > 0) {
      const batch = entry.pending.splice(0);
      await entry.page
        .evaluate((d) => window.dispatchEvent(new CustomEvent('kiyo-desktop', { detail: d })), batch)
        .catch(() => {});
    }
    entry.flushing = false;
  }
}

interface Message {
  name: 'event' | 'state' | 'voiceInput' | 'pushToTalk';
  detail: unknown;
}

interface Attached {
  page: Page;
  pending: Message[];
  flushing: boolean;
}
