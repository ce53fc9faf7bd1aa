import { useFakes } from '../helpers/use-fakes';
import { describe, expect, it } from 'vitest';
import { speak } from '../../src/fakes/fake-speech';
import { assertEventOrder, audioOf, collect, makeConversation, ofType } from '../helpers/pipeline-fixture';

const fakes = useFakes();

describe('one streaming turn through the real openai SDK and msedge-tts', () => {
  it('streams text, segments and in-order audio that is exactly the speech of each segment', async () => {
    fakes.llm.setReplies([
      'Hello there, friend! I am Kiyo, your favourite streamer. Shall we play a game today?',
    ]);
    const conversation = makeConversation(fakes, { streaming: { synthesisAhead: 3 } });
    const events = await collect(conversation.runTurn('Hi!'));
    conversation.close();

    assertEventOrder(events);
    expect(
      ofType(events, 'text')
        .map((e) => e.delta)
        .join(''),
    ).toBe(fakes.llm.replyAt(0));
    const segments = ofType(events, 'segment');
    expect(segments.map((s) => s.displayText)).toEqual([
      'Hello there,',
      'friend! I am Kiyo, your favourite streamer.',
      'Shall we play a game today?',
    ]);
    for (const segment of segments) {
      const expected = await speak(segment.spokenText);
      expect(audioOf(events, segment.index).equals(Buffer.from(expected.mp3))).toBe(true);
    }
    const end = ofType(events, 'turn-end')[0]!;
    expect(end.reason).toBe('complete');
    expect(end.spokenText).toBe(segments.map((s) => s.spokenText).join(' '));
    const l = end.latency;
    for (const mark of [
      'llmFirstToken',
      'firstSegment',
      'ttsFirstRequestSent',
      'ttsFirstByte',
      'firstAudio',
      'turnEnd',
    ] as const) {
      expect(l[mark], mark).toBeTypeOf('number');
    }
    expect(l.llmFirstToken!).toBeLessThanOrEqual(l.firstSegment!);
    expect(l.firstSegment!).toBeLessThanOrEqual(l.ttsFirstByte!);
    expect(l.ttsFirstByte!).toBeLessThanOrEqual(l.firstAudio!);
  });

  it('keeps a bounded history and sends it with the next turn', async () => {
    fakes.llm.setReplies(['One, two, three.', 'Four, five, six.', 'Seven, eight, nine.']);
    const conversation = makeConversation(fakes, {
      // No emotion tags: the system prompt is then exactly the persona.
      character: { historyMaxMessages: 2, systemPrompt: 'Be Kiyo.', emotionTags: '' },
    });
    for (const input of ['first', 'second', 'third']) await collect(conversation.runTurn(input));
    conversation.close();
    const last = fakes.llm.requests.at(-1)!;
    expect(last.messages).toEqual([
      { role: 'system', content: 'Be Kiyo.' },
      { role: 'user', content: 'second' },
      { role: 'assistant', content: 'Four, five, six.' },
      { role: 'user', content: 'third' },
    ]);
    expect(conversation.history.size).toBe(2);
  });

  it('sends the configured model, temperature, max tokens and voice prosody', async () => {
    fakes.llm.setReplies(['Okay then, here we go.']);
    const conversation = makeConversation(fakes, {
      llm: { temperature: 1.3, maxTokens: 77 },
      tts: { providers: { edge: { voice: 'ja-JP-NanamiNeural', rate: 20, pitch: -5, volume: -10 } } },
    });
    await collect(conversation.runTurn('go'));
    conversation.close();
    expect(fakes.llm.requests.at(-1)).toMatchObject({
      model: 'kiyo-fake',
      temperature: 1.3,
      max_tokens: 77,
      stream: true,
    });
    const ssml = fakes.tts.requests.at(-1)!.ssml;
    expect(ssml).toContain('name="ja-JP-NanamiNeural"');
    expect(ssml).toContain('rate="+20%"');
    expect(ssml).toContain('pitch="-5Hz"');
    expect(ssml).toContain('volume="-10%"');
  });

  it('escapes text so it cannot break the SSML', async () => {
    fakes.llm.setReplies(['Tom & Jerry say <hi> to "you", okay?']);
    const conversation = makeConversation(fakes);
    const events = await collect(conversation.runTurn('escape'));
    conversation.close();
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('complete');
    expect(
      fakes.tts.requests
        .slice(-2)
        .map((r) => r.text)
        .join(' '),
    ).toBe('Tom & Jerry say <hi> to "you", okay?');
  });

  it('traditional mode waits for the whole reply and speaks it as one segment', async () => {
    fakes.llm.setReplies(['First sentence here, see. Second sentence there, too. Third one!']);
    const conversation = makeConversation(fakes, { streaming: { enabled: false } });
    const events = await collect(conversation.runTurn('slow please'));
    conversation.close();
    assertEventOrder(events);
    const segments = ofType(events, 'segment');
    expect(segments).toHaveLength(1);
    expect(segments[0]!.spokenText).toBe(fakes.llm.replyAt(0));
    const end = ofType(events, 'turn-end')[0]!;
    expect(end.latency.firstSegment!).toBeGreaterThanOrEqual(end.latency.llmEnd!);
    expect(events.findIndex((e) => e.type === 'segment')).toBeGreaterThan(
      events.findLastIndex((e) => e.type === 'text'),
    );
  });

  it('streams the first segment before the LLM has finished', async () => {
    // Slow enough that the rest of the reply is still being written while the first clause is
    // synthesised: the fake's espeak-ng runs beside the stream (in a worker), not in its way.
    fakes.llm.options.tokensPerSecond = 15;
    fakes.llm.setReplies([
      'Right away, boss! This reply is deliberately long so that it takes a while to generate in full.',
    ]);
    const conversation = makeConversation(fakes);
    const events = await collect(conversation.runTurn('quick'));
    conversation.close();
    fakes.llm.options.tokensPerSecond = 400;
    const firstAudio = events.findIndex((e) => e.type === 'audio');
    const lastText = events.findLastIndex((e) => e.type === 'text');
    expect(firstAudio).toBeGreaterThan(0);
    expect(firstAudio).toBeLessThan(lastText);
  });
});

describe('the history keeps what was actually heard', () => {
  it('an interrupted playback shortens the remembered reply to the segments heard', async () => {
    fakes.llm.setReplies([
      'First part, here it is. Second part comes after that one. Third part ends it all.',
    ]);
    const conversation = makeConversation(fakes);
    const events = await collect(conversation.runTurn('tell me'));
    const turnId = events[0]!.turnId;
    const segments = ofType(events, 'segment');
    expect(segments.length).toBeGreaterThanOrEqual(3);
    conversation.playbackStopped(turnId, 2);
    expect(conversation.history.snapshot().at(-1)).toEqual({
      role: 'assistant',
      content: `${segments[0]!.displayText} ${segments[1]!.displayText}`,
    });
    conversation.close();
  });

  it('a reply stopped before any of it was heard is not remembered', async () => {
    fakes.llm.setReplies(['First part, here it is. Second part comes after that one.']);
    const conversation = makeConversation(fakes);
    const events = await collect(conversation.runTurn('tell me'));
    expect(conversation.history.snapshot()).toHaveLength(2);
    conversation.playbackStopped(events[0]!.turnId, 0);
    expect(conversation.history.snapshot()).toEqual([]);
    conversation.close();
  });

  it('a report that arrives before the turn has ended is applied when it ends', async () => {
    fakes.llm.setReplies(['One thing first, okay? Then another thing, and then the last thing.']);
    const conversation = makeConversation(fakes);
    let reported = false;
    for await (const event of conversation.runTurn('go on')) {
      if (event.type === 'segment-end' && !reported) {
        conversation.playbackStopped(event.turnId, 1);
        reported = true;
      }
    }
    const first = conversation.history.snapshot().at(-1)!.content;
    expect(first).toBe('One thing first,');
    conversation.close();
  });
});

describe('the character', () => {
  it('fills its name into the persona it sends', async () => {
    fakes.llm.setReplies(['Ahoy!']);
    const conversation = makeConversation(fakes, { character: { name: 'Miko' } });
    await collect(conversation.runTurn('who are you?'));
    conversation.close();
    const system = fakes.llm.requests.at(-1)!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/^You are Miko, a playful/);
    expect(system.content).not.toContain('{{name}}');
  });
});
