import { describe, expect, it } from 'vitest';
import { voiceTurnSteps } from '../../src/cli/voice-bench-steps';
import { FrameTimeLog, type UtteranceSteps } from '../../src/renderer/src/voice/utterance-steps';

describe('voice benchmark: the ear steps of one turn', () => {
  it('splits the way out into its steps, and puts the page and main on one clock', () => {
    const steps: UtteranceSteps = {
      lastVoicedCapturedAt: 1000,
      lastVoicedArrivedAt: 1008,
      lastVoicedScoredAt: 1009.5,
      lastVoicedOnMainAt: 1010,
      endFrameCapturedAt: 1512,
      endFrameArrivedAt: 1518,
      endFrameScoredAt: 1519,
      endFrameOnMainAt: 1521,
      encodedAt: 1521.5,
      sentAt: 1521.5,
      bridgeReturnedAt: 1523,
      timeOrigin: 1_700_000_000_000,
    };
    const arrival = { receivedAt: 1_700_000_001_528, heardAt: 1_700_000_001_530 };
    const result = voiceTurnSteps(
      steps,
      arrival,
      521.5,
      { transcriptReady: 950, firstAudio: 1620, firstSamplePlayed: 1632 },
      { firstAudio: 660, firstSamplePlayed: 671 },
    );
    expect(result).toEqual({
      lastVoicedDelivery: 8,
      lastVoicedScoring: 1.5,
      lastVoicedToMain: 0.5,
      hangoverFramed: 512,
      endFrameDelivery: 6,
      endFrameScoring: 1,
      endFrameToMain: 2,
      encoding: 0.5,
      sending: 1.5,
      transport: 8.5,
      sinceSpeechEnd: 521.5,
      replyInMainOverTyped: 10,
      playbackOverTyped: 1,
    });
  });
});

describe('FrameTimeLog', () => {
  it('finds a frame by its capture time among the last ones kept, and forgets older ones', () => {
    const log = new FrameTimeLog(3);
    for (let k = 1; k <= 5; k++)
      log.add({ at: k * 32, arrivedAt: k * 32 + 5, scoredAt: k * 32 + 6, onMainAt: k * 32 + 7 });
    expect(log.find(5 * 32)).toEqual({ at: 160, arrivedAt: 165, scoredAt: 166, onMainAt: 167 });
    expect(log.find(3 * 32)?.arrivedAt).toBe(101);
    expect(log.find(2 * 32)).toBeUndefined();
  });
});
