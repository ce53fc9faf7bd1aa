import type { ChatSettings } from '../../shared/chat-settings';
import type { DropReason, IncomingChatMessage, QueuedChatMessage } from '../../shared/chat';

export type QueuePolicy = Pick<
  ChatSettings,
  | 'maxQueueMessages'
  | 'staleSeconds'
  | 'viewerCooldownSeconds'
  | 'priorityModerators'
  | 'prioritySubscribers'
  | 'priorityBitsMin'
>;

/** A waiting message with what the policy needs beyond what the panel shows. */
export interface QueueEntry extends QueuedChatMessage {
  viewerId: string;
}

/** Viewers remembered for their cooldown at most (the oldest answers are forgotten first). */
const MAX_COOLDOWNS = 5000;

/**
 * The waiting chat messages and the rule for which goes next: highest rank first (moderators,
 * then bits, then subscribers, plus a local source's own priority), oldest first within a rank.
 * Bounded: when full, a newcomer replaces the lowest-ranked, newest entry if it outranks it, and
 * is dropped otherwise. Stale entries and viewers still in their cooldown are dropped when met.
 * Every drop is reported with its reason. Time comes from `now` (fake clocks in tests).
 */
export class ChatQueue {
  private entries: QueueEntry[] = [];
  private readonly answeredAt = new Map<string, number>();
  private counter = 0;

  constructor(
    private policy: QueuePolicy,
    private readonly onDrop: (entry: QueueEntry, reason: DropReason) => void,
    private readonly now: () => number = Date.now,
  ) {}

  configure(policy: QueuePolicy): void {
    this.policy = policy;
    while (this.entries.length > policy.maxQueueMessages) this.drop(this.lowest()!, 'queue-full');
  }

  get size(): number {
    return this.entries.length;
  }

  list(): QueueEntry[] {
    return [...this.entries].sort(order);
  }

  rankOf(message: Pick<IncomingChatMessage, 'moderator' | 'subscriber' | 'bits' | 'priority'>): number {
    const p = this.policy;
    return (
      (p.priorityModerators && message.moderator ? 4 : 0) +
      (p.priorityBitsMin > 0 && message.bits >= p.priorityBitsMin ? 2 : 0) +
      (p.prioritySubscribers && message.subscriber ? 1 : 0) +
      Math.max(0, message.priority)
    );
  }

  /** Queues a moderated message (`text` is what the model will see); returns its entry if kept. */
  offer(message: IncomingChatMessage, text: string): QueueEntry | undefined {
    const entry: QueueEntry = {
      key: `chat-${++this.counter}`,
      platform: message.platform,
      viewer: message.viewer,
      viewerId: message.viewerId,
      text,
      receivedAt: message.receivedAt,
      rank: this.rankOf(message),
    };
    if (this.inCooldown(entry.viewerId)) {
      this.onDrop(entry, 'cooldown');
      return undefined;
    }
    this.entries.push(entry);
    if (this.entries.length > this.policy.maxQueueMessages) {
      const lowest = this.lowest()!;
      this.drop(lowest, 'queue-full');
      if (lowest === entry) return undefined;
    }
    return entry;
  }

  /** Takes the message to answer next, dropping the stale and those still in cooldown on the way. */
  next(): QueueEntry | undefined {
    this.dropStale();
    for (const entry of this.list()) {
      this.remove(entry);
      if (this.inCooldown(entry.viewerId)) {
        this.onDrop(entry, 'cooldown');
        continue;
      }
      return entry;
    }
    return undefined;
  }

  /** The streamer's "answer this one now": taken whatever its rank or the viewer's cooldown. */
  take(key: string): QueueEntry | undefined {
    const entry = this.entries.find((e) => e.key === key);
    if (entry) this.remove(entry);
    return entry;
  }

  /** The streamer's "skip": dropped with that reason. */
  skip(key: string): boolean {
    const entry = this.entries.find((e) => e.key === key);
    if (entry) this.drop(entry, 'skipped');
    return entry !== undefined;
  }

  dropAll(reason: DropReason): void {
    for (const entry of [...this.entries]) this.drop(entry, reason);
  }

  dropStale(): void {
    const limit = this.now() - this.policy.staleSeconds * 1000;
    for (const entry of [...this.entries]) if (entry.receivedAt < limit) this.drop(entry, 'stale');
  }

  /** Kiyo started answering `viewerId`: their cooldown starts now. */
  answered(viewerId: string): void {
    this.answeredAt.delete(viewerId);
    this.answeredAt.set(viewerId, this.now());
    while (this.answeredAt.size > MAX_COOLDOWNS) this.answeredAt.delete(this.answeredAt.keys().next().value!);
  }

  private inCooldown(viewerId: string): boolean {
    const at = this.answeredAt.get(viewerId);
    return at !== undefined && this.now() - at < this.policy.viewerCooldownSeconds * 1000;
  }

  /** The entry that goes last: lowest rank, newest. */
  private lowest(): QueueEntry | undefined {
    return this.list().at(-1);
  }

  private drop(entry: QueueEntry, reason: DropReason): void {
    this.remove(entry);
    this.onDrop(entry, reason);
  }

  private remove(entry: QueueEntry): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
  }
}

/** Higher rank first; within a rank, older first (then arrival order). */
function order(a: QueueEntry, b: QueueEntry): number {
  return b.rank - a.rank || a.receivedAt - b.receivedAt || Number(a.key.slice(5)) - Number(b.key.slice(5));
}
