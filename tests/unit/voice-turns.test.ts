import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../src/main/pipeline/latency';
import { PipelineError } from '../../src/main/pipeline/pipeline-error';
import { hearInTurn, VoiceTurns } from '../../src/main/pipeline/stt/voice-turns';
import type { Transcriber } from '../../src/main/pipeline/stt/transcriber';
import type { Utterance } from '../../src/shared/voice-input';

const utterance = (sinceSpeechEndMs: number): Utterance => ({
  wav: new Uint8Array(100),
  speechMs: 800,
  sinceSpeechEndMs,
});

/** Answers from a script: a text, or an error to throw. */
function scripted(answers: (string | Error)[]): Transcriber & { heard: Uint8Array[] } {
  const heard: Uint8Array[] = [];
  return {
    heard,
    async transcribe(wav) {
      heard.push(wav);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next ?? '';
    },
  };
}

const run = (voice: ReturnType<VoiceTurns['prepare']>, signal = new AbortController().signal) => {
  const latency = new LatencyRecorder(voice.origin);
  const transcripts: string[] = [];
  const done = hearInTurn(voice, { signal, latency, onTranscript: (t) => transcripts.push(t) });
  return { latency, transcripts, done };
};

describe('VoiceTurns: an utterance as a voice turn', () => {
  it('puts the zero at the end of speech and marks the hangover, never later than the page sent it', async () => {
    const turns = new VoiceTurns(scripted(['hi', 'again']), () => 500);
    const before = Date.now();
    const voice = turns.prepare(utterance(620));
    expect(voice.origin.epoch).toBeGreaterThanOrEqual(before - 620);
    expect(voice.origin.epoch).toBeLessThanOrEqual(Date.now() - 620);
    // The detector hears silence in whole 32 ms frames: 500 ms of silence is decided after 16, 512 ms.
    expect(voice.hangoverMs).toBe(512);
    const { latency, transcripts, done } = run(voice);
    expect(await done).toBe('hi');
    expect(transcripts).toEqual(['hi']);
    expect(latency.marks.speechEndDetected).toBe(512);
    expect(latency.marks.transcriptReady).toBeGreaterThanOrEqual(620);
    // Sent sooner than the configured hangover (a page with a shorter one): capped at what it said.
    expect(turns.prepare(utterance(300)).hangoverMs).toBe(300);
  });

  it('keeps a failed utterance for one retry, counted from the retry; a success clears it', async () => {
    const failure = new PipelineError('stt-server', 'boom', true);
    const transcriber = scripted([failure, 'got it']);
    const turns = new VoiceTurns(transcriber, () => 500);
    expect(turns.prepareRetry()).toBeUndefined();
    const first = utterance(600);
    await expect(run(turns.prepare(first)).done).rejects.toBe(failure);
    expect(turns.hasFailedUtterance).toBe(true);
    const retry = turns.prepareRetry()!;
    expect(retry.hangoverMs).toBeUndefined();
    expect(Date.now() - retry.origin.epoch).toBeLessThan(1000);
    const { latency, done } = run(retry);
    expect(await done).toBe('got it');
    expect(latency.marks.speechEndDetected).toBeUndefined();
    expect(transcriber.heard).toEqual([first.wav, first.wav]);
    expect(turns.prepareRetry()).toBeUndefined();
  });

  it('a transcription cancelled by a newer input leaves nothing to retry', async () => {
    const controller = new AbortController();
    const transcriber: Transcriber = {
      transcribe: (_wav, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    };
    const turns = new VoiceTurns(transcriber, () => 500);
    const { done } = run(turns.prepare(utterance(600)), controller.signal);
    controller.abort();
    await expect(done).rejects.toThrow('aborted');
    expect(turns.hasFailedUtterance).toBe(false);
  });
});
