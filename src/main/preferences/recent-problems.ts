import type { RecentProblem } from '../../shared/preferences-api';
import { redact } from '../pipeline/logger';

const KEEP = 30;

/**
 * The last problems, with their technical detail (error codes, hosts, ECONNREFUSED…), for
 * Preferences → Advanced. The overlay only gets a short plain sentence; this is where the rest
 * goes. Every entry passes through `record`, and so through one redaction step.
 */
export class RecentProblems {
  private readonly entries: RecentProblem[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly redact: (text: string) => string;
  private readonly keep: number;

  constructor(options: { keep?: number; redact?: (text: string) => string } = {}) {
    this.keep = options.keep ?? KEEP;
    // Without a caller's redaction (which knows the configured key), at least key-shaped strings go.
    this.redact = options.redact ?? ((text) => redact(text, []));
  }

  record(message: string, detail: string, at = Date.now()): void {
    this.entries.push({ at, message: this.redact(message), detail: this.redact(detail) });
    if (this.entries.length > this.keep) this.entries.splice(0, this.entries.length - this.keep);
    for (const listener of this.listeners) listener();
  }

  /** Newest first. */
  list(): RecentProblem[] {
    return [...this.entries].reverse();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
