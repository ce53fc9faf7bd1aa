import type {
  ChatDrop,
  ChatPanelState,
  DropReason,
  IncomingChatMessage,
  QueuedChatMessage,
} from '../../shared/chat';
import type { ChatSettings } from '../../shared/chat-settings';
import type { PipelineEvent, TurnSource } from '../../shared/pipeline-events';
import type { Logger } from '../pipeline/logger';
import { ChatQueue, type QueueEntry } from './chat-queue';
import { ChatModerator } from './moderation';
import { frameViewerMessage, viewerName } from './viewer-framing';

/** What the coordinator needs of the TurnRunner. */
export interface ChatTurns {
  say(text: string, source?: TurnSource): Promise<string>;
  waitsFor?: (incoming: TurnSource | undefined, current: TurnSource | undefined) => boolean;
  /**
   * A turn is in progress or its audio may still be playing on a page (a reply reaches the pages
   * faster than it plays; turn-runner.ts). Without it, a turn's end in main counts as silence.
   */
  audible?(): boolean;
  /** Called each time Kiyo falls silent; returns unsubscribe. */
  onSilent?(listener: () => void): () => void;
}

export interface ChatCoordinatorOptions {
  runner: ChatTurns;
  chat: ChatSettings;
  characterName: string;
  logger: Logger;
  /** Epoch ms; a fake clock in tests. */
  now?: () => number;
  /** A chat answer ended complete: post it back (Twitch, when signed in and asked to). */
  answered?(entry: QueuedChatMessage, reply: string): void;
  /** The panel's state changed (called at most every PANEL_THROTTLE_MS). */
  onChange?(): void;
}

const RECENT_DROPS = 20;
const PANEL_THROTTLE_MS = 250;
const TICK_MS = 1000;

/**
 * Decides which viewer's message Kiyo answers and when: every message goes through moderation
 * into the bounded queue; one is answered only when Kiyo is silent (no turn running and no audio
 * still playing on a page), the streamer has been quiet for a while (the streamer always comes
 * first) and the trigger allows it (at once for mentions, or one every N seconds). The streamer's
 * own input interrupts a chat answer, or waits for it to finish playing, as set ("streamer
 * first"). Every drop is counted with its reason for the panel.
 */
export class ChatCoordinator {
  private chat: ChatSettings;
  private readonly moderator: ChatModerator;
  private readonly queue: ChatQueue;
  private readonly now: () => number;
  private paused = false;
  /** The chat turn started by us and not ended yet (from `say` until its turn-end). */
  private answering: { entry: QueueEntry; turnId?: string; segments: string[] } | undefined;
  /** A turn that is not a chat answer is running (the streamer's, or a voice preview). */
  private otherTurn: string | undefined;
  private lastStreamerAt = -Infinity;
  private lastAnswerAt = -Infinity;
  private answeredCount = 0;
  private readonly dropCounts: Partial<Record<DropReason, number>> = {};
  private readonly recentDrops: ChatDrop[] = [];
  private changeTimer: NodeJS.Timeout | undefined;
  private readonly ticker: NodeJS.Timeout;
  private readonly offSilent: (() => void) | undefined;

  constructor(private readonly options: ChatCoordinatorOptions) {
    this.chat = options.chat;
    this.now = options.now ?? Date.now;
    this.moderator = new ChatModerator(options.chat, options.characterName, this.now);
    this.queue = new ChatQueue(options.chat, (entry, reason) => this.dropped(entry, reason), this.now);
    this.applyStreamerFirst();
    // Stale messages go, and the interval and quiet period are honoured, even when nothing arrives.
    this.ticker = setInterval(() => this.pump(), TICK_MS);
    this.ticker.unref();
    // The last audio has played out: the next answer may start now rather than at the next tick.
    this.offSilent = options.runner.onSilent?.(() => this.pumpSoon());
  }

  configure(chat: ChatSettings, characterName: string): void {
    this.chat = chat;
    this.moderator.configure(chat, characterName);
    this.queue.configure(chat);
    this.applyStreamerFirst();
    if (!chat.enabled) this.queue.dropAll('paused');
    this.changed();
    this.pump();
  }

  /** A message from any source (Twitch, the local endpoint). */
  accept(message: IncomingChatMessage): void {
    if (!this.chat.enabled) return;
    const verdict = this.moderator.check(message);
    if (!verdict.ok) {
      this.dropped({ viewer: message.viewer, text: message.text }, verdict.reason);
      return;
    }
    if (this.queue.offer(message, verdict.text)) this.changed();
    this.pump();
  }

  /** Every pipeline event, as produced (serveRunner's `observe`). */
  observe(event: PipelineEvent): void {
    if (event.type === 'turn-start') {
      if (event.source?.kind === 'chat' && this.answering && this.answering.turnId === undefined) {
        this.answering.turnId = event.turnId;
      } else {
        this.otherTurn = event.turnId;
        this.lastStreamerAt = this.now();
      }
      return;
    }
    if (event.type === 'segment' && this.answering?.turnId === event.turnId) {
      this.answering.segments.push(event.displayText);
      return;
    }
    if (event.type !== 'turn-end') return;
    if (this.answering?.turnId === event.turnId) {
      const { entry, segments } = this.answering;
      this.answering = undefined;
      if (event.reason === 'complete' && segments.length > 0)
        this.options.answered?.(entry, segments.join(' '));
      // Cut off: by the streamer's input, which is about to start; their quiet period starts now.
      if (event.reason === 'cancelled') this.lastStreamerAt = this.now();
      this.changed();
    } else if (this.otherTurn === event.turnId) {
      this.otherTurn = undefined;
      this.lastStreamerAt = this.now();
    }
    this.pumpSoon();
  }

  /** The streamer is speaking or typing (before any turn exists): chat waits. */
  streamerActive(): void {
    this.lastStreamerAt = this.now();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.changed();
    this.pump();
  }

  /** The streamer's "answer this one now": it goes next, interrupting a chat answer in progress. */
  answerNow(key: string): boolean {
    const entry = this.queue.take(key);
    if (!entry) return false;
    this.answer(entry);
    return true;
  }

  skip(key: string): boolean {
    const skipped = this.queue.skip(key);
    if (skipped) this.changed();
    return skipped;
  }

  state(): Omit<ChatPanelState, 'twitch'> {
    const view = ({ viewerId: _id, ...entry }: QueueEntry): QueuedChatMessage => entry;
    return {
      enabled: this.chat.enabled,
      paused: this.paused,
      queue: this.queue.list().map(view),
      ...(this.answering && { answering: view(this.answering.entry) }),
      answered: this.answeredCount,
      dropCounts: { ...this.dropCounts },
      recentDrops: [...this.recentDrops],
    };
  }

  get queued(): number {
    return this.queue.size;
  }

  close(): void {
    this.offSilent?.();
    clearInterval(this.ticker);
    clearTimeout(this.changeTimer);
  }

  /**
   * A chat answer never interrupts the streamer's turn: it waits for it, until its audio has
   * played. The streamer's input interrupts a chat answer, or with "wait" is taken right after it
   * has finished playing (the runner waits for the audio too). A chat answer may replace another
   * (answer-now).
   */
  private applyStreamerFirst(): void {
    const waitForChat = this.chat.streamerFirst === 'wait';
    this.options.runner.waitsFor = (incoming, current) => {
      const chatIncoming = incoming?.kind === 'chat';
      const chatCurrent = current?.kind === 'chat';
      return chatIncoming ? !chatCurrent : waitForChat && chatCurrent;
    };
  }

  /** Not at once: a turn that was waiting (the streamer's) starts first. */
  private pumpSoon(): void {
    setTimeout(() => this.pump(), 0).unref();
  }

  private pump(): void {
    this.queue.dropStale();
    if (!this.chat.enabled || this.paused || this.answering || this.otherTurn) return;
    // Kiyo is still speaking (a turn whose audio has not finished playing): starting an answer
    // would cut her off on the pages.
    if (this.options.runner.audible?.()) return;
    const now = this.now();
    if (now - this.lastStreamerAt < this.chat.streamerQuietSeconds * 1000) return;
    if (this.chat.trigger === 'interval' && now - this.lastAnswerAt < this.chat.pickIntervalSeconds * 1000)
      return;
    const entry = this.queue.next();
    if (entry) this.answer(entry);
  }

  private answer(entry: QueueEntry): void {
    this.queue.answered(entry.viewerId);
    this.answeredCount++;
    this.lastAnswerAt = this.now();
    const answering = { entry, segments: [] as string[] };
    this.answering = answering;
    const viewer = viewerName(entry.viewer);
    const source: TurnSource = { kind: 'chat', viewer, text: entry.text, platform: entry.platform };
    this.options.logger.info(`chat: answering ${viewer} (${entry.platform})`);
    this.options.runner
      .say(frameViewerMessage(viewer, entry.text, entry.platform), source)
      .catch((error: unknown) => {
        this.options.logger.error('chat: the answer could not start', error);
        if (this.answering === answering) this.answering = undefined;
      });
    this.changed();
  }

  private dropped(entry: { viewer: string; text: string }, reason: DropReason): void {
    this.dropCounts[reason] = (this.dropCounts[reason] ?? 0) + 1;
    // Chat among viewers is most of chat: counted, not listed.
    if (reason !== 'not-addressed') {
      this.recentDrops.unshift({
        at: this.now(),
        viewer: entry.viewer,
        text: entry.text.slice(0, 80),
        reason,
      });
      this.recentDrops.length = Math.min(this.recentDrops.length, RECENT_DROPS);
    }
    this.changed();
  }

  /** Tells the panel, at most every PANEL_THROTTLE_MS: a flood must not flood the IPC too. */
  private changed(): void {
    if (this.changeTimer || !this.options.onChange) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.options.onChange?.();
    }, PANEL_THROTTLE_MS);
    this.changeTimer.unref();
  }
}
