import type { LatencyMarks } from '../../shared/pipeline-events';

type MarkName = Exclude<keyof LatencyMarks, 'inputAt'>;

/** Latency marks of one turn, in ms since the input arrived, each set once (the first time). */
export class LatencyRecorder {
  private readonly start = performance.now();
  readonly marks: LatencyMarks = { inputAt: Date.now() };

  mark(name: MarkName): void {
    if (this.marks[name] === undefined)
      this.marks[name] = Math.round((performance.now() - this.start) * 100) / 100;
  }

  snapshot(): LatencyMarks {
    return { ...this.marks };
  }
}

const ORDER: MarkName[] = [
  'llmFirstToken',
  'firstSegment',
  'ttsFirstRequestSent',
  'ttsFirstByte',
  'firstAudio',
  'firstSamplePlayed',
  'llmEnd',
  'turnEnd',
];

export function formatLatency(marks: LatencyMarks): string {
  return ORDER.filter((k) => marks[k] !== undefined)
    .map((k) => `${k}=${Math.round(marks[k]!)}ms`)
    .join(' ');
}
