import { describe, expect, it } from 'vitest';
import { BlinkCycle, MODEL_BLINK_MEMORY_MS, ModelBlinkWatch } from '../../src/renderer/src/avatar/blink';
import { SpokenSegments, type PlaybackClock } from '../../src/renderer/src/overlay/spoken-segments';
import { locateWords, wordAt } from '../../src/renderer/src/overlay/word-highlight';
import type { WordTiming } from '../../src/shared/pipeline-events';

const w = (text: string, offsetMs: number, durationMs = 200): WordTiming => ({ text, offsetMs, durationMs });

describe('word highlighting', () => {
  it('finds each timed word in the subtitle, in order, skipping what the text does not show', () => {
    const text = 'Hello, hello! I am Kiyo ✨.';
    const spans = locateWords(text, [
      w('Hello', 0),
      w('hello', 1),
      w('sparkles', 2),
      w('I', 3),
      w('kiyo', 4),
    ]);
    expect(spans.map((s) => s && text.slice(s.start, s.end))).toEqual([
      'Hello',
      'hello',
      undefined,
      'I',
      'Kiyo',
    ]);
  });

  it('lights the word whose time has come, keeps it through a pause, and none after the last', () => {
    const words = [w('one', 100, 200), w('two', 400, 200), w('three', 900, 300)];
    const at = (ms: number) => wordAt(words, ms);
    expect([0, 99, 100, 350, 399, 400, 700, 899, 900, 1200, 1201].map(at)).toEqual([
      -1, -1, 0, 0, 0, 1, 1, 1, 2, 2, -1,
    ]);
  });

  it("follows the audio clock from the segment's first sample, segment by segment, in order", () => {
    const starts = new Map([
      [0, 10],
      [1, 12],
    ]);
    const context = { currentTime: 0 };
    const clock: PlaybackClock & { currentTurn: string | undefined; segment: number | undefined } = {
      currentTurn: 't1',
      segment: 0,
      context,
      currentSegment() {
        return this.segment;
      },
      segmentStart: (i: number) => starts.get(i),
    };
    const spoken = new SpokenSegments();
    spoken.onEvent({ type: 'turn-start', turnId: 't1', input: 'hi', streaming: true, inputAt: 0 });
    spoken.onEvent({
      type: 'segment',
      turnId: 't1',
      index: 0,
      displayText: 'Good morning!',
      spokenText: 'Good morning!',
      emotion: 'joy',
    });
    spoken.onEvent({ type: 'words', turnId: 't1', segmentIndex: 0, words: [w('Good', 100, 300)] });
    // Words of another turn are not this one's.
    spoken.onEvent({ type: 'words', turnId: 't0', segmentIndex: 0, words: [w('stale', 0, 9000)] });
    spoken.onEvent({ type: 'words', turnId: 't1', segmentIndex: 0, words: [w('morning', 500, 400)] });
    spoken.onEvent({
      type: 'segment',
      turnId: 't1',
      index: 1,
      displayText: 'No timing here.',
      spokenText: 'No timing here.',
    });

    const lit: string[] = [];
    for (let t = 10; t < 14; t += 0.05) {
      context.currentTime = t;
      clock.segment = t < 12 ? 0 : 1;
      const view = spoken.subtitle(clock);
      const word = view.word ? view.text.slice(view.word.start, view.word.end) : `[${view.text}]`;
      if (lit.at(-1) !== word) lit.push(word);
    }
    expect(lit).toEqual(['[Good morning!]', 'Good', 'morning', '[Good morning!]', '[No timing here.]']);
    expect(spoken.audible(clock)).toEqual({ turnId: 't1', segmentIndex: 1 });
    clock.segment = 0;
    expect(spoken.audible(clock)).toEqual({ turnId: 't1', segmentIndex: 0, emotion: 'joy' });
    // The player still on an older turn's audio: nothing of this turn is shown for it.
    clock.currentTurn = 't0';
    expect(spoken.audible(clock)).toBeUndefined();
    expect(spoken.subtitle(clock).text).toBe('');
  });
});

describe('blinking', () => {
  it('closes the eyes fully, reopens them, and waits a while between blinks', () => {
    const blink = new BlinkCycle(undefined, () => 0.5);
    const openness: number[] = [];
    for (let t = 0; t < 12_000; t += 16) openness.push(blink.step(16));
    expect(blink.blinks).toBeGreaterThanOrEqual(2);
    expect(blink.blinks).toBeLessThanOrEqual(4);
    expect(Math.min(...openness)).toBe(0);
    expect(openness.at(-1)).toBeGreaterThan(0);
    // Most of the time the eyes are open.
    expect(openness.filter((o) => o === 1).length / openness.length).toBeGreaterThan(0.9);
  });

  it('at a low frame rate every blink still shows one frame with the eyes shut', () => {
    const blink = new BlinkCycle(undefined, () => 0.3);
    let shutFrames = 0;
    // 4 frames a second: longer than a whole blink (260 ms), so without care most would vanish.
    for (let t = 0; t < 30_000; t += 250) if (blink.step(250) === 0) shutFrames++;
    expect(blink.blinks).toBeGreaterThan(5);
    expect(shutFrames).toBe(blink.blinks);
  });

  it("keeps out while the model's own motions blink, and takes over when they stop", () => {
    const watch = new ModelBlinkWatch();
    // A new model gets a while to show whether it blinks by itself.
    expect(watch.modelBlinks).toBe(true);
    watch.step(MODEL_BLINK_MEMORY_MS);
    watch.saw(1);
    expect(watch.modelBlinks).toBe(false); // it did not: Kiyo blinks
    watch.saw(0.1); // an idle motion shut the eyes
    watch.step(MODEL_BLINK_MEMORY_MS - 100);
    watch.saw(1);
    expect(watch.modelBlinks).toBe(true);
    watch.step(200); // no eyelids from the motions for a while
    watch.saw(1);
    expect(watch.modelBlinks).toBe(false);
  });

  it('a stalled frame does not skip the blink unseen or break the cycle', () => {
    const blink = new BlinkCycle(undefined, () => 0);
    blink.step(2490);
    const seen = [blink.step(250), blink.step(16), blink.step(5000)];
    expect(blink.blinks).toBeGreaterThanOrEqual(2);
    expect(seen.every((o) => o >= 0 && o <= 1)).toBe(true);
  });
});
