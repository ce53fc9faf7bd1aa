import type { TurnLatency } from '../../../shared/pipeline-events';

/** How a turn ended, as the latency chart labels it: only a spoken reply has a "first sound" time. */
export type TurnOutcome = 'spoken' | 'failed' | 'silent' | 'interrupted';

export function outcomeOf(turn: TurnLatency): TurnOutcome {
  if (turn.reason === 'error') return 'failed';
  // No audio at all: nothing was heard, so no time to first sound exists.
  if (turn.firstAudio === undefined) return turn.reason === 'cancelled' ? 'interrupted' : 'silent';
  return 'spoken';
}

/** The label at the end of a turn's bar. */
export function outcomeLabel(turn: TurnLatency, reachedMs: number): string {
  switch (outcomeOf(turn)) {
    case 'failed':
      return 'failed';
    case 'silent':
      return 'silent (nothing to say aloud)';
    case 'interrupted':
      return 'interrupted before any sound';
    default:
      return `${Math.round(reachedMs)} ms`;
  }
}
