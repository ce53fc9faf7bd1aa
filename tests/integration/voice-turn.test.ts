import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeOpenAiTranscriptionServer,
  utteranceWav,
} from '../../src/fakes/fake-openai-transcription-server';
import type { Conversation } from '../../src/main/pipeline/conversation';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import type { Utterance } from '../../src/shared/voice-input';
import { assertEventOrder, makeConversation, ofType, testLogger } from '../helpers/pipeline-fixture';
import { useFakes } from '../helpers/use-fakes';

const fakes = useFakes();
const HELLO = 'Hello Kiyo, how are you today?';
const SINCE_SPEECH_END = 620;
const HANGOVER = 500;

let stt: FakeOpenAiTranscriptionServer;
let hello: Int16Array;
beforeAll(async () => {
  stt = await FakeOpenAiTranscriptionServer.start({ latencyMs: 30, perAudioSecondMs: 0 });
  hello = await stt.register(HELLO);
}, 60_000);
afterAll(() => stt.close());
beforeEach(() => {
  stt.faults.length = 0;
});

function setup(lines: string[] = []) {
  const conversation: Conversation = makeConversation(
    fakes,
    {
      listen: { mode: 'hands-free', endSilenceMs: HANGOVER },
      // Generous: the fake voice synthesises each new text on first use, slowly on a loaded machine.
      tts: { providers: { edge: { timeoutMs: 20_000 } } },
      stt: { providers: { openai: { baseUrl: stt.url, model: 'whisper-1', timeoutMs: 5000 } } },
    },
    testLogger(lines),
  );
  const events: PipelineEvent[] = [];
  const runner = new TurnRunner(conversation, (e) => events.push(e), testLogger(lines));
  const turn = (id: string) => events.filter((e) => e.turnId === id);
  const ended = (id: string) =>
    expect.poll(() => turn(id).some((e) => e.type === 'turn-end'), { timeout: 20_000 }).toBe(true);
  return { conversation, runner, events, turn, ended };
}

const utterance = (samples = hello): Utterance => ({
  wav: utteranceWav(samples),
  speechMs: (samples.length / 16_000) * 1000,
  sinceSpeechEndMs: SINCE_SPEECH_END,
});

describe('TurnRunner.hear: a voice turn', () => {
  it('starts at once, transcribes, then replies exactly as if the transcript had been typed', async () => {
    const { runner, turn, ended, conversation } = setup();
    const sentAt = Date.now();
    const id = await runner.hear(utterance());
    const startedAt = Date.now();
    await ended(id);
    const events = turn(id);
    assertEventOrder(events);
    const start = events[0]!;
    expect(start).toMatchObject({ type: 'turn-start', input: '', source: { kind: 'voice' } });
    // The turn's zero is the end of speech, sinceSpeechEndMs before the utterance arrived.
    const inputAt = start.type === 'turn-start' ? start.inputAt : 0;
    expect(inputAt).toBeGreaterThanOrEqual(sentAt - SINCE_SPEECH_END);
    expect(inputAt).toBeLessThanOrEqual(startedAt - SINCE_SPEECH_END);
    const types = events.map((e) => e.type);
    expect(types.indexOf('transcript')).toBe(1);
    expect(ofType(events, 'transcript')[0]!.text).toBe(HELLO);
    expect(types.indexOf('text')).toBeGreaterThan(1);
    expect(ofType(events, 'audio').length).toBeGreaterThan(0);
    const end = ofType(events, 'turn-end')[0]!;
    expect(end.reason).toBe('complete');
    const marks = end.latency;
    // Decided in whole 32 ms frames: 500 ms of silence is heard after 16 of them.
    expect(marks.speechEndDetected).toBe(512);
    expect(marks.transcriptReady).toBeGreaterThan(SINCE_SPEECH_END);
    expect(marks.llmRequest).toBeGreaterThanOrEqual(marks.transcriptReady!);
    expect(marks.firstAudio).toBeGreaterThan(marks.llmRequest!);
    // The LLM got the transcript as the user's words, and the history keeps it.
    expect(fakes.llm.requests.at(-1)!.messages.at(-1)).toEqual({ role: 'user', content: HELLO });
    expect(conversation.history.snapshot()[0]).toEqual({ role: 'user', content: HELLO });
    expect(runner.recentLatency().at(-1)!.speechEndDetected).toBe(512);
  });

  it('a failed transcription ends the turn with its stt error and keeps the utterance; retry sends it again', async () => {
    const { runner, turn, ended, conversation } = setup();
    expect(await runner.retryUtterance()).toBeUndefined();
    stt.faults.push('http-500');
    const fired = stt.faultsFired.length;
    const requests = stt.requests.length;
    const llmRequests = fakes.llm.requests.length;
    const first = await runner.hear(utterance());
    await ended(first);
    expect(stt.faultsFired.slice(fired)).toEqual(['http-500']);
    const failed = turn(first);
    expect(failed.map((e) => e.type)).toEqual(['turn-start', 'error', 'turn-end']);
    expect(ofType(failed, 'error')[0]).toMatchObject({ code: 'stt-server', retryable: true });
    expect(ofType(failed, 'turn-end')[0]!.reason).toBe('error');
    expect(fakes.llm.requests.length).toBe(llmRequests); // nothing was asked of the LLM
    expect(conversation.history.size).toBe(0);

    const second = await runner.retryUtterance();
    expect(second).toBeDefined();
    await ended(second!);
    expect(ofType(turn(second!), 'transcript')[0]!.text).toBe(HELLO);
    expect(ofType(turn(second!), 'error')).toEqual([]);
    expect(ofType(turn(second!), 'turn-end')[0]!.reason).toBe('complete');
    // The same recording went to the service twice.
    expect(stt.requests.length).toBe(requests + 2);
    expect(stt.requests.at(-1)!.bytes).toBe(stt.requests.at(-2)!.bytes);
    // A retry counts from the retry, not from the end of speech long before it.
    expect(ofType(turn(second!), 'turn-end')[0]!.latency.speechEndDetected).toBeUndefined();
    expect(conversation.history.snapshot()[0]).toEqual({ role: 'user', content: HELLO });
    // Retried successfully: nothing is left to retry.
    expect(await runner.retryUtterance()).toBeUndefined();
  });

  it('an utterance with no words ends the turn with stt-empty, and the LLM is not asked', async () => {
    const { runner, turn, ended } = setup();
    const llmRequests = fakes.llm.requests.length;
    const id = await runner.hear(utterance(new Int16Array(16_000)));
    await ended(id);
    expect(stt.requests.at(-1)!.transcript).toBe('');
    expect(ofType(turn(id), 'error')[0]).toMatchObject({ code: 'stt-empty', retryable: true });
    expect(fakes.llm.requests.length).toBe(llmRequests);
  });

  it('cancels the turn in progress, as a typed input does; a cancelled transcription leaves nothing to retry', async () => {
    const { runner, turn, ended } = setup();
    stt.faults.push('timeout');
    const fired = stt.faultsFired.length;
    const first = await runner.hear(utterance());
    await expect.poll(() => stt.faultsFired.length).toBe(fired + 1);
    const second = await runner.hear(utterance());
    await ended(first);
    expect(ofType(turn(first), 'turn-end')[0]!.reason).toBe('cancelled');
    expect(ofType(turn(first), 'error')).toEqual([]);
    await ended(second);
    expect(ofType(turn(second), 'transcript')[0]!.text).toBe(HELLO);
    expect(await runner.retryUtterance()).toBeUndefined();
  });
});
