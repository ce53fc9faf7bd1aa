import type { TtsSettings } from '../../../shared/settings';
import type { Logger } from '../logger';
import { isAbortError } from '../pipeline-error';
import type { AudioChunk, SynthesisRequest, TtsEngine, TtsNotice } from './tts-engine';

export interface OnlineEngine extends TtsEngine {
  configure?(settings: TtsSettings): void;
  /** Resolves true once the service answers a connection again. */
  probe(): Promise<boolean>;
}

const PROBE_EVERY_MS = 15_000;

/**
 * Edge first; when Edge cannot be reached or a clause fails even after its retry, that clause is
 * spoken by the offline voice and later clauses go straight to it, while Edge is probed in the
 * background. The first clause after Edge answers again uses Edge. Each switch is announced.
 */
export class FallbackTtsEngine implements TtsEngine {
  private offline = false;
  private probing: NodeJS.Timeout | undefined;
  private pendingNotice: TtsNotice | undefined;

  constructor(
    private readonly online: OnlineEngine,
    private readonly fallback: TtsEngine & { configure?(settings: TtsSettings): void },
    private readonly logger: Logger,
    private readonly probeEveryMs = PROBE_EVERY_MS,
  ) {}

  configure(settings: TtsSettings): void {
    this.online.configure?.(settings);
    this.fallback.configure?.(settings);
  }

  warm(): void {
    if (!this.offline) this.online.warm();
  }

  close(): void {
    clearTimeout(this.probing);
    this.probing = undefined;
    this.online.close();
    this.fallback.close();
  }

  async *synthesize(request: SynthesisRequest): AsyncGenerator<AudioChunk> {
    if (this.pendingNotice) {
      request.onNotice?.(this.pendingNotice);
      this.pendingNotice = undefined;
    }
    if (!this.offline) {
      try {
        yield* this.online.synthesize(request);
        return;
      } catch (error) {
        if (request.signal.aborted || isAbortError(error)) return;
        this.goOffline(error, request);
      }
    }
    yield* this.fallback.synthesize(request);
  }

  private goOffline(error: unknown, request: SynthesisRequest): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (!this.offline) {
      this.offline = true;
      request.onNotice?.({
        code: 'tts-offline',
        message: `Edge TTS is not answering (${reason}). Speaking with the built-in offline voice until it is back.`,
      });
      this.scheduleProbe();
    }
  }

  private scheduleProbe(): void {
    clearTimeout(this.probing);
    this.probing = setTimeout(() => {
      void this.online.probe().then((up) => {
        if (!up) return this.scheduleProbe();
        this.offline = false;
        this.probing = undefined;
        this.logger.info('Edge TTS answers again; back to the online voice');
        this.pendingNotice = {
          code: 'tts-online',
          message: 'Edge TTS is back: the usual voice speaks again.',
        };
      });
    }, this.probeEveryMs);
    this.probing.unref?.();
  }
}
