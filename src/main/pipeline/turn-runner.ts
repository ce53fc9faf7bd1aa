import type {
  LatencyMarks,
  PipelineEvent,
  TurnEndReason,
  TurnLatency,
  TurnSource,
} from '../../shared/pipeline-events';
import { AudibleTurn } from './audible-turn';
import type { Conversation } from './conversation';
import { formatLatency } from './latency';
import type { Logger } from './logger';
import type { Utterance } from '../../shared/voice-input';
import { createTranscriber } from './stt/registry';
import type { Transcriber } from './stt/transcriber';
import { VoiceTurns, type VoiceTurnInput } from './stt/voice-turns';

const KEEP_TURNS = 50;

/**
 * Runs one turn at a time for a UI: a new input interrupts the turn in progress (barge-in),
 * and every event goes to `publish` unchanged. Shared by Electron IPC and the WebSocket
 * transport. Also completes each turn's latency with the player's "first sample played".
 */
export class TurnRunner {
  private current: { controller: AbortController; done: Promise<void>; source?: TurnSource } | undefined;
  /** The newest turn started: the one any page may still be playing when Kiyo is stopped. */
  private latestTurnId: string | undefined;
  private readonly latency = new Map<string, TurnLatency>();
  private readonly playedAfterChunk = new Map<string, number>();
  private readonly latencyListeners = new Set<() => void>();
  private readonly voice: VoiceTurns;
  /** Whether the latest turn's audio may still be playing on a page (audible-turn.ts). */
  private readonly audibleTurn = new AudibleTurn({
    onSilence: (turnId, cause) => this.logger.debug(`${turnId}: no longer audible (${cause})`),
  });

  constructor(
    private readonly conversation: Conversation,
    private readonly publish: (event: PipelineEvent) => void,
    private readonly logger: Logger,
    /** Speech to text for voice turns; by default the provider chosen in the settings (`stt`). */
    transcriber: Transcriber = createTranscriber(() => conversation.currentSettings.stt, logger),
  ) {
    this.voice = new VoiceTurns(transcriber, () => conversation.currentSettings.listen.endSilenceMs);
  }

  /**
   * Whether a new turn from `incoming` waits for the one in progress (from `current`) to end
   * instead of interrupting it. Unset: every new turn interrupts (barge-in). The chat coordinator
   * sets it for "streamer first: wait" (chat/chat-coordinator.ts).
   */
  waitsFor?: (incoming: TurnSource | undefined, current: TurnSource | undefined) => boolean;

  /**
   * Starts a turn after cancelling (and waiting for) the one in progress; resolves with its id.
   * `source` (a chat viewer's message) is stamped on its turn-start for the pages to show.
   */
  say(text: string, source?: TurnSource): Promise<string> {
    return this.start(text, source ? { source } : {});
  }

  /**
   * A voice turn: cancels the turn in progress like a typed input, emits `turn-start` (input '',
   * source voice) at once, transcribes, emits `transcript`, then replies as if it had been typed.
   * Its marks count from the end of speech. Resolves with the turn id.
   */
  hear(utterance: Utterance): Promise<string> {
    return this.start('', { voice: this.voice.prepare(utterance) });
  }

  /**
   * Sends the last utterance whose transcription failed again (its marks count from now); resolves
   * with the new turn's id, or undefined when there is nothing to retry.
   */
  async retryUtterance(): Promise<string | undefined> {
    const voice = this.voice.prepareRetry();
    return voice ? this.start('', { voice }) : undefined;
  }

  /** Speaks `sample` with the current voice like a reply, without asking the LLM or remembering it. */
  previewVoice(sample: string): Promise<string> {
    return this.start('(voice preview)', { voicePreview: sample });
  }

  private async start(
    text: string,
    options: { voicePreview?: string; voice?: VoiceTurnInput; source?: TurnSource },
  ): Promise<string> {
    // Until no turn is in progress: two inputs at once (the streamer's and a chat answer)
    // must not both start after one cancel and run side by side. A turn that waits also waits
    // for the previous one's audio to finish playing: starting cuts it on the pages.
    for (;;) {
      if (this.current) {
        if (this.waitsFor?.(options.source, this.current.source)) await this.current.done;
        else await this.cancel();
      } else if (this.audibleTurn.audible() && this.waitsFor?.(options.source, this.audibleTurn.source)) {
        await this.audibleTurn.whenSilent();
      } else break;
    }
    const { source, ...turnOptions } = options;
    const controller = new AbortController();
    let resolveId!: (id: string) => void;
    const turnId = new Promise<string>((resolve) => (resolveId = resolve));
    const done = (async () => {
      const turn = this.conversation.runTurn(text, { signal: controller.signal, ...turnOptions });
      for await (const produced of turn) {
        const event = produced.type === 'turn-start' && source ? { ...produced, source } : produced;
        if (event.type === 'turn-start') {
          resolveId(event.turnId);
          this.latestTurnId = event.turnId;
        }
        if (event.type === 'turn-end' && options.voicePreview === undefined) {
          this.recordLatency(event.turnId, event.latency, event.reason);
        }
        // The one place every event leaves the pipeline for the windows and the WebSocket: an
        // upstream that quotes the API key back in an error must not put it on screen or stream.
        this.publish(this.logger.secrets.redactDeep(event));
        this.audibleTurn.observe(event);
      }
    })().catch((error: unknown) => this.logger.error('turn failed unexpectedly', error));
    const entry = { controller, done, ...(source && { source }) };
    this.current = entry;
    void done.finally(() => {
      if (this.current === entry) this.current = undefined;
    });
    return turnId;
  }

  async cancel(): Promise<void> {
    // Every page stops playing at once (the one that asked has already; the OBS page has not).
    if (this.latestTurnId !== undefined) this.publish({ type: 'stop-playback', turnId: this.latestTurnId });
    this.audibleTurn.cut();
    const current = this.current;
    if (!current) return;
    current.controller.abort();
    await current.done;
  }

  /** The player reports how long after the first chunk arrived its first sample was heard. */
  playbackStarted(turnId: string, afterChunkMs: number): void {
    this.playedAfterChunk.set(turnId, afterChunkMs);
    // Any page may report any id (browser mode too): only recent turns matter, so keep a few.
    while (this.playedAfterChunk.size > KEEP_TURNS)
      this.playedAfterChunk.delete(this.playedAfterChunk.keys().next().value!);
    const marks = this.latency.get(turnId);
    if (marks) this.completeLatency(turnId, marks);
  }

  /** The player was interrupted after `segments` segments of the turn had been heard. */
  playbackStopped(turnId: string, segments: number): void {
    this.conversation.playbackStopped(turnId, segments);
  }

  /**
   * A page played all of the turn's audio to its end. The first report of the latest turn makes
   * Kiyo silent; later ones, and reports of older turns, change nothing.
   */
  playbackFinished(turnId: string): void {
    this.audibleTurn.finished(turnId);
    this.conversation.playbackFinished(turnId);
  }

  /** A turn is in progress, or its audio may still be playing on a page. */
  audible(): boolean {
    return this.current !== undefined || this.audibleTurn.audible();
  }

  /** Called each time Kiyo falls silent (reported, estimated or interrupted); returns unsubscribe. */
  onSilent(listener: () => void): () => void {
    return this.audibleTurn.onSilent(listener);
  }

  /** Called whenever a turn's latency is recorded or completed; returns unsubscribe. */
  onLatency(listener: () => void): () => void {
    this.latencyListeners.add(listener);
    return () => this.latencyListeners.delete(listener);
  }

  /** Latency marks of the most recent turns and how each ended, oldest first (for the dashboard). */
  recentLatency(): TurnLatency[] {
    return [...this.latency.values()];
  }

  private recordLatency(turnId: string, marks: LatencyMarks, reason: TurnEndReason): void {
    this.latency.set(turnId, { ...marks, reason });
    while (this.latency.size > KEEP_TURNS) this.latency.delete(this.latency.keys().next().value!);
    if (this.playedAfterChunk.has(turnId)) this.completeLatency(turnId, this.latency.get(turnId)!);
    else for (const listener of this.latencyListeners) listener();
  }

  private completeLatency(turnId: string, marks: LatencyMarks): void {
    const after = this.playedAfterChunk.get(turnId);
    this.playedAfterChunk.delete(turnId);
    if (after === undefined || marks.firstAudio === undefined) return;
    marks.firstSamplePlayed = Math.round((marks.firstAudio + after) * 100) / 100;
    for (const listener of this.latencyListeners) listener();
    this.logger.info(
      `${turnId}: first sample played at ${Math.round(marks.firstSamplePlayed)} ms (first audio ${Math.round(marks.firstAudio)} + ${after.toFixed(1)} ms in the player); ${formatLatency(marks)}`,
    );
  }
}
