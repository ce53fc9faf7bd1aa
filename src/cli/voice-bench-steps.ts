import type { UtteranceSteps } from '../renderer/src/voice/utterance-steps';

/**
 * The voice benchmark's per-step breakdown of one voice turn: where the time between the end of
 * speech and the first sample goes beyond the hangover, the transcription and the text pipeline.
 * Page stamps are on the page's clock; `receivedAt`/`heardAt` are on the bench's (both put on
 * the epoch through their performance.timeOrigin, so the transport step is good to about a ms).
 */
export interface VoiceTurnSteps {
  /** Last voiced frame: captured → in the detector's worker (beyond the capture clock's anchor). */
  lastVoicedDelivery: number;
  /** Last voiced frame: in the worker → scored by the detector (queueing + inference). */
  lastVoicedScoring: number;
  /** Last voiced frame: scored → on the page's main thread. */
  lastVoicedToMain: number;
  /** Last voiced frame captured → the frame that ends the hangover captured (hangover as framed). */
  hangoverFramed: number;
  /** End frame: captured → in the worker. */
  endFrameDelivery: number;
  /** End frame: in the worker → scored. */
  endFrameScoring: number;
  /** End frame: scored → on the main thread. */
  endFrameToMain: number;
  /** End frame on the main thread → WAV encoded (segmenting, the barge-in gate, encoding). */
  encoding: number;
  /** Encoded → the bridge's sendUtterance returned (the page's side of sending). */
  sending: number;
  /** The bridge called → main's runner.hear (transport and schema check; not in the total: main counts from receipt − sinceSpeechEndMs). */
  transport: number;
  /** End of speech → sent, as the page reports it (sinceSpeechEndMs). */
  sinceSpeechEnd: number;
  /** Voice turn: transcript ready → first audio in main, minus the typed turns' input → first audio (p50). */
  replyInMainOverTyped: number;
  /** Voice turn: first audio in main → first sample played, minus the typed turns' (p50). */
  playbackOverTyped: number;
}

export interface TurnMarks {
  transcriptReady: number;
  firstAudio: number;
  firstSamplePlayed: number;
}

export function voiceTurnSteps(
  steps: UtteranceSteps,
  arrival: { receivedAt: number; heardAt: number },
  sinceSpeechEndMs: number,
  voice: TurnMarks,
  typed: { firstAudio: number; firstSamplePlayed: number },
): VoiceTurnSteps {
  return {
    lastVoicedDelivery: steps.lastVoicedArrivedAt - steps.lastVoicedCapturedAt,
    lastVoicedScoring: steps.lastVoicedScoredAt - steps.lastVoicedArrivedAt,
    lastVoicedToMain: steps.lastVoicedOnMainAt - steps.lastVoicedScoredAt,
    hangoverFramed: steps.endFrameCapturedAt - steps.lastVoicedCapturedAt,
    endFrameDelivery: steps.endFrameArrivedAt - steps.endFrameCapturedAt,
    endFrameScoring: steps.endFrameScoredAt - steps.endFrameArrivedAt,
    endFrameToMain: steps.endFrameOnMainAt - steps.endFrameScoredAt,
    encoding: steps.encodedAt - steps.endFrameOnMainAt,
    sending: steps.bridgeReturnedAt - steps.encodedAt,
    transport: arrival.heardAt - (steps.timeOrigin + steps.sentAt),
    sinceSpeechEnd: sinceSpeechEndMs,
    replyInMainOverTyped: voice.firstAudio - voice.transcriptReady - typed.firstAudio,
    playbackOverTyped:
      voice.firstSamplePlayed - voice.firstAudio - (typed.firstSamplePlayed - typed.firstAudio),
  };
}
