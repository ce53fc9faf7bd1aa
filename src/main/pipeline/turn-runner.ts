import type { PipelineEvent } from '../../shared/pipeline-events';
import type { Conversation } from './conversation';
import type { Logger } from './logger';

/**
 * Runs one turn at a time for a UI: a new input interrupts the turn in progress (barge-in),
 * and every event goes to `publish` unchanged. Shared by Electron IPC and the WebSocket transport.
 */
export class TurnRunner {
  private current: { turnId?: string; controller: AbortController; done: Promise<void> } | undefined;

  constructor(
    private readonly conversation: Conversation,
    private readonly publish: (event: PipelineEvent) => void,
    private readonly logger: Logger,
  ) {}

  /** Starts a turn after cancelling (and waiting for) the one in progress; resolves with its id. */
  async say(text: string): Promise<string> {
    await this.cancel();
    const controller = new AbortController();
    let resolveId!: (id: string) => void;
    const turnId = new Promise<string>((resolve) => (resolveId = resolve));
    const entry: NonNullable<TurnRunner['current']> = { controller, done: Promise.resolve() };
    entry.done = (async () => {
      for await (const event of this.conversation.runTurn(text, { signal: controller.signal })) {
        if (event.type === 'turn-start') {
          entry.turnId = event.turnId;
          resolveId(event.turnId);
        }
        this.publish(event);
      }
    })().catch((error: unknown) => this.logger.error('turn failed unexpectedly', error));
    this.current = entry;
    return turnId;
  }

  async cancel(): Promise<void> {
    const current = this.current;
    if (!current) return;
    current.controller.abort();
    await current.done;
    if (this.current === current) this.current = undefined;
  }

  /** The renderer reports when the first sample of a turn reached the speakers. */
  playbackStarted(turnId: string, afterChunkMs: number): void {
    this.logger.info(`${turnId}: first sample played ${afterChunkMs.toFixed(1)} ms after its chunk arrived`);
  }
}
