import { describe, expect, it } from 'vitest';
import { phraseMarks, type PhraseBenchSummary } from '../../src/cli/phrase-bench';

const good: PhraseBenchSummary = {
  turns: 8,
  fillerDelayMs: 50,
  firstSoundP50Ms: 51,
  firstSoundP95Ms: 55,
  replyFirstAudioP50Ms: 670,
  replyHeardP50Ms: 700,
  offFirstAudioP50Ms: 634,
  offOverheadP50Ms: 0.7,
  offFirstSoundMismatches: 0,
  cacheLookups: 48,
  cacheHits: 30,
  cacheRepeats: 30,
  hitRate: 0.63,
  cachedClauseTurns: 5,
  cachedClauseP50Ms: 0.1,
  cachedClauseP95Ms: 0.3,
};
const failed = (s: PhraseBenchSummary) =>
  phraseMarks(s)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);

describe('the phrase benchmark marks', () => {
  it('pass on a good run', () => {
    expect(failed(good)).toEqual([]);
  });

  it('fail for each target missed, and for a run that measured nothing', () => {
    expect(failed({ ...good, firstSoundP95Ms: 101 })).toEqual([expect.stringMatching(/first sound p95/)]);
    expect(failed({ ...good, cachedClauseP95Ms: 5.1 })).toEqual([
      expect.stringMatching(/cached first clause/),
    ]);
    expect(failed({ ...good, cachedClauseTurns: 0 })).toEqual([expect.stringMatching(/cached first clause/)]);
    expect(failed({ ...good, cacheHits: 29 })).toEqual(['every repeated clause a cache hit']);
    expect(failed({ ...good, cacheRepeats: 0, cacheHits: 0 })).toEqual(['every repeated clause a cache hit']);
    expect(failed({ ...good, offOverheadP50Ms: 11 })).toEqual([expect.stringMatching(/option off/)]);
    expect(failed({ ...good, offFirstSoundMismatches: 1 })).toEqual([expect.stringMatching(/option off/)]);
  });
});
