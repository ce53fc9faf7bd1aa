import { describe, expect, it } from 'vitest';
import { FILLER_SEGMENT, type PipelineEvent } from '../../src/shared/pipeline-events';
import { cachedConversation } from '../helpers/cached-voice';
import { assertEventOrder, collect, ofType } from '../helpers/pipeline-fixture';
import { useFakes } from '../helpers/use-fakes';

// The LLM's first token comes long after the filler's delay, so the filler has room to play.
const fakes = useFakes({ ttftMs: 600 });

const FILLERS = ['Hmm,', 'Let me see…'];
const fillerAudio = (events: PipelineEvent[]) =>
  Buffer.concat(
    ofType(events, 'audio')
      .filter((a) => a.segmentIndex === FILLER_SEGMENT)
      .map((a) => a.data),
  );

async function withFillers(firstSound: { enabled?: boolean; delayMs?: number } = {}) {
  const voice = cachedConversation(fakes, {
    firstSound: { enabled: true, delayMs: 30, fillers: FILLERS, ...firstSound },
  });
  await voice.tts.preloader!.idle();
  return voice;
}

describe('the instant first sound', () => {
  it('plays a cached filler before the reply, never overlapping it, and never shows or remembers it', async () => {
    const { conversation, tts } = await withFillers();
    const cached = FILLERS.map((f) => Buffer.concat(tts.cachedAudio(f)!.map((c) => c.data)));
    expect(cached.every((c) => c.byteLength > 0)).toBe(true); // both fillers were preloaded
    const requests = fakes.tts.requests.length;
    fakes.llm.setReplies(['Right, here is my answer for you.']);
    const events = await collect(conversation.runTurn('a question'));
    conversation.close();

    // It played: the whole of one cached filler, without asking the voice service for it.
    const filler = fillerAudio(events);
    expect(cached.some((c) => c.equals(filler))).toBe(true);
    expect(fakes.tts.requests.slice(requests).map((r) => r.text)).not.toContain('Hmm,');
    // Never overlapping: all of it before the first byte of the reply (the player queues the
    // reply right after it), and the ordering guarantees hold with it.
    assertEventOrder(events);
    const audio = ofType(events, 'audio');
    const lastFiller = audio.findLastIndex((a) => a.segmentIndex === FILLER_SEGMENT);
    const firstReply = audio.findIndex((a) => a.segmentIndex === 0);
    expect(lastFiller).toBeGreaterThanOrEqual(0);
    expect(firstReply).toBeGreaterThan(lastFiller);
    // Never a subtitle nor history: no segment, no text, nothing in what was said or remembered.
    const said = JSON.stringify([
      ofType(events, 'segment'),
      ofType(events, 'text'),
      ofType(events, 'turn-end').map((e) => [e.text, e.spokenText]),
      conversation.history.snapshot(),
    ]);
    expect(said).not.toMatch(/Hmm|Let me see/);
    // Its own mark, and the reply's marks keep their meaning.
    const { latency } = ofType(events, 'turn-end')[0]!;
    expect(latency.firstSound).toBeDefined();
    expect(latency.firstAudio).toBeDefined();
    expect(latency.firstSound!).toBeLessThan(latency.firstAudio!);
  });

  it('does not play the same filler twice in a row', async () => {
    const { conversation } = await withFillers();
    fakes.llm.setReplies(['One.', 'Two.', 'Three.', 'Four.']);
    const fillers: string[] = [];
    for (const input of ['a', 'b', 'c', 'd']) {
      const events = await collect(conversation.runTurn(input));
      fillers.push(fillerAudio(events).toString('base64'));
    }
    conversation.close();
    expect(fillers.every((f) => f.length > 0)).toBe(true);
    for (let i = 1; i < fillers.length; i++) expect(fillers[i]).not.toBe(fillers[i - 1]);
  });

  it('stays silent when the option is off: firstSound is then the reply’s first audio', async () => {
    const { conversation } = await withFillers({ enabled: false });
    fakes.llm.setReplies(['No filler here.']);
    const events = await collect(conversation.runTurn('quiet please'));
    conversation.close();
    expect(fillerAudio(events).byteLength).toBe(0);
    const { latency } = ofType(events, 'turn-end')[0]!;
    expect(latency.firstSound).toBe(latency.firstAudio);
  });

  it('stays silent when the reply started before the delay, even while the reply goes on', async () => {
    // The reply's first clause is cached, so its audio starts right at the LLM's first segment
    // (~600 ms), and the reply is still being written when the 2 s delay comes.
    const { conversation, tts } = cachedConversation(fakes, {
      firstSound: { enabled: true, delayMs: 2000, fillers: FILLERS },
      phraseCache: { preloadPhrases: ['Sure thing!'] },
    });
    await tts.preloader!.idle();
    const speed = fakes.llm.options.tokensPerSecond;
    fakes.llm.options.tokensPerSecond = 10;
    fakes.llm.setReplies([
      'Sure thing! I will take my time with this one, word by word, so that it lasts a while longer.',
    ]);
    let events: PipelineEvent[];
    try {
      events = await collect(conversation.runTurn('take your time'));
    } finally {
      fakes.llm.options.tokensPerSecond = speed;
    }
    conversation.close();
    const { latency } = ofType(events, 'turn-end')[0]!;
    // The situation under test happened: the reply began before the delay and ended after it.
    expect(latency.firstAudio!).toBeLessThan(2000);
    expect(latency.turnEnd!).toBeGreaterThan(2000);
    assertEventOrder(events);
    expect(fillerAudio(events).byteLength).toBe(0);
  });

  it('counts a voice turn from the end of speech: the filler plays while the words are still being transcribed', async () => {
    // A 5 s delay and an utterance that reached main 10 s after the end of speech (a long
    // hangover, a slow upload): the delay has passed before the turn even starts.
    const { conversation } = await withFillers({ delayMs: 5000 });
    fakes.llm.setReplies(['I heard you.']);
    let fillerHeard!: () => void;
    const heard = new Promise<void>((resolve) => (fillerHeard = resolve));
    const origin = { at: performance.now() - 10_000, epoch: Date.now() - 10_000 };
    const events: PipelineEvent[] = [];
    for await (const event of conversation.runTurn('', {
      voice: { origin, transcribe: () => heard.then(() => 'hello there') },
    })) {
      events.push(event);
      if (event.type === 'audio' && event.segmentIndex === FILLER_SEGMENT) fillerHeard();
    }
    conversation.close();
    assertEventOrder(events);
    const types = events.map((e) =>
      e.type === 'audio' && e.segmentIndex === FILLER_SEGMENT ? 'filler' : e.type,
    );
    // The transcript could only come once the filler had played: the filler did not wait for it.
    expect(types.indexOf('filler')).toBeGreaterThan(0);
    expect(types.indexOf('filler')).toBeLessThan(types.indexOf('transcript'));
    // Counted from the end of speech, it came at the turn's start, not 5 s into the turn (the
    // margin is half the delay: this tells the two zeros apart, it is not a speed target).
    const end = ofType(events, 'turn-end')[0]!;
    expect(end.latency.firstSound! - 10_000).toBeLessThan(2500);
    expect(end.reason).toBe('complete');
    expect(JSON.stringify(conversation.history.snapshot())).not.toMatch(/Hmm|Let me see/);
  });

  it('a barge-in during the filler ends the turn cleanly, with nothing of the filler remembered', async () => {
    const { conversation } = await withFillers();
    fakes.llm.setReplies(['You will not hear this one.']);
    const controller = new AbortController();
    const events: PipelineEvent[] = [];
    for await (const event of conversation.runTurn('stop that', { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'audio' && event.segmentIndex === FILLER_SEGMENT) controller.abort();
    }
    conversation.close();
    assertEventOrder(events);
    expect(fillerAudio(events).byteLength).toBeGreaterThan(0); // interrupted during the filler
    expect(ofType(events, 'audio').filter((a) => a.segmentIndex !== FILLER_SEGMENT)).toEqual([]);
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('cancelled');
    expect(JSON.stringify(conversation.history.snapshot())).not.toMatch(/Hmm|Let me see/);
  });
});
