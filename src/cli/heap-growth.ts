/** A heap reading after a full garbage collection, taken after `turn` turns. */
export interface HeapSample {
  turn: number;
  heapUsedBytes: number;
}

/**
 * Heap growth in MB per 1,000 turns: the least-squares slope through the samples. A leak grows
 * with every turn and shows here; a one-off allocation (a cache filling, a table reaching its
 * working size) belongs to the warm-up before the first sample and does not.
 */
export function growthMbPer1000Turns(samples: readonly HeapSample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanTurn = samples.reduce((s, x) => s + x.turn, 0) / n;
  const meanHeap = samples.reduce((s, x) => s + x.heapUsedBytes, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { turn, heapUsedBytes } of samples) {
    covariance += (turn - meanTurn) * (heapUsedBytes - meanHeap);
    variance += (turn - meanTurn) ** 2;
  }
  return variance === 0 ? 0 : ((covariance / variance) * 1000) / 2 ** 20;
}
