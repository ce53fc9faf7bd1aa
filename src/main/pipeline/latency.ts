import type { LatencyMarks } from '../../shared/pipeline-events';

type MarkName = Exclude<keyof LatencyMarks, 'inputAt'>;

/** Where a turn's marks count from, when not from the moment it starts (a voice turn: the end of speech). */
export interface LatencyOrigin {
  /** performance.now() of the zero. */
  at: number;
  /** The same moment in epoch ms (`inputAt`). */
  epoch: number;
}

/** Latency marks of one turn, in ms since the input arrived, each set once (the first time). */
export class LatencyRecorder {
  private readonly start: number;
  readonly marks: LatencyMarks;

  constructor(origin?: LatencyOrigin) {
    this.start = origin?.at ?? performance.now();
    this.marks = { inputAt: origin?.epoch ?? Date.now() };
  }

  mark(name: MarkName): void {
    if (this.marks[name] === undefined)
      this.marks[name] = Math.round((performance.now() - this.start) * 100) / 100;
  }

  /** A mark measured elsewhere (the page's voice activity detector), `ms` after the zero. */
  set(name: MarkName, ms: number): void {
    if (this.marks[name] === undefined) this.marks[name] = Math.round(ms * 100) / 100;
  }

  snapshot(): LatencyMarks {
    return { ...this.marks };
  }
}

const ORDER: MarkName[] = [
  'speechEndDetected',
  'transcriptReady',
  'llmFirstToken',
  'firstSegment',
  'ttsFirstRequestSent',
  'ttsFirstByte',
  'firstAudio',
  'firstSound',
  'firstSamplePlayed',
  'llmEnd',
  'turnEnd',
];

export function formatLatency(marks: LatencyMarks): string {
  return ORDER.filter((k) => marks[k] !== undefined)
    .map((k) => `${k}=${Math.round(marks[k]!)}ms`)
    .join(' ');
}
