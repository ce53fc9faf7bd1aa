import { describe, expect, it } from 'vitest';
import { Segmenter, type SegmenterOptions } from '../../src/main/pipeline/segmenter';
import { speechLength } from '../../src/main/pipeline/spoken-text';
import { tokenize } from '../../src/fakes/tokenize';

const OPTIONS: SegmenterOptions = { firstMinChars: 10, firstMaxChars: 60, minChars: 24, maxChars: 200 };

/** Feeds the text the way an LLM would (word-ish tokens), or one character at a time. */
function segment(text: string, mode: 'tokens' | 'chars' = 'tokens', options = OPTIONS) {
  const s = new Segmenter(options);
  const pieces = mode === 'tokens' ? tokenize(text) : [...text];
  const out = pieces.flatMap((p) => s.push(p));
  out.push(...s.flush());
  return out;
}

const display = (text: string, mode: 'tokens' | 'chars' = 'tokens', options = OPTIONS) =>
  segment(text, mode, options).map((s) => s.displayText);
const spoken = (text: string, mode: 'tokens' | 'chars' = 'tokens') =>
  segment(text, mode).map((s) => s.spokenText);

describe('segmenter: first segment', () => {
  it('releases the first clause at a comma once it is long enough', () => {
    expect(display('Well hello there, traveler! What brings you to my stream today?')).toEqual([
      'Well hello there,',
      'traveler! What brings you to my stream today?',
    ]);
  });

  it('does not release a too-short first clause', () => {
    expect(display('Oh, hi! I was just about to take a nap, you know.')[0]).toBe(
      'Oh, hi! I was just about to take a nap,',
    );
  });

  it('releases the comma clause as soon as the comma arrives (no lookahead for words)', () => {
    const s = new Segmenter(OPTIONS);
    expect(s.push('Good morning')).toEqual([]);
    expect(s.push(',')).toEqual([{ index: 0, displayText: 'Good morning,', spokenText: 'Good morning,' }]);
  });

  it('waits one character after a period, then releases', () => {
    const s = new Segmenter(OPTIONS);
    expect(s.push('It is 3')).toEqual([]);
    expect(s.push('.')).toEqual([]);
    expect(s.push('14 exactly. Then')).toEqual([
      { index: 0, displayText: 'It is 3.14 exactly.', spokenText: 'It is 3.14 exactly.' },
    ]);
  });

  it('cuts an over-long first clause at its best pause before the length ceiling', () => {
    const [first] = display(
      'This is a remarkably long opening sentence without any punctuation that just keeps going on and on',
    );
    expect(speechLength(first!)).toBeLessThanOrEqual(60);
    // Before the preposition: "that" was still the last word received, so it could not be judged.
    expect(first).toBe('This is a remarkably long opening sentence');
  });

  it('when the time budget runs out with no pause in sight, waits a few words for the clause to end', () => {
    const s = new Segmenter(OPTIONS);
    expect(s.push('Hmm let me think')).toEqual([]);
    expect(s.expireFirstSegmentBudget()).toEqual([]);
    // The clause ends within the grace: released whole, no one-word remainder.
    expect(s.push(' about that for a second. And')).toEqual([
      {
        index: 0,
        displayText: 'Hmm let me think about that for a second.',
        spokenText: 'Hmm let me think about that for a second.',
      },
    ]);
  });

  it('when the time budget runs out and the grace too, cuts at the best word boundary there is', () => {
    const s = new Segmenter(OPTIONS);
    s.push('Hmm let me think');
    s.expireFirstSegmentBudget();
    const [first] = s.push(' really really hard right now okay');
    expect(first?.displayText).toMatch(/^Hmm let me think really really hard right( now)?$/);
    // Later segments follow the normal rules again.
    expect(s.push(' then. Next')).toHaveLength(0);
    expect(s.flush().map((x) => x.index)).toEqual([1]);
  });

  it('treats CJK commas as immediate clause boundaries', () => {
    const s = new Segmenter(OPTIONS);
    expect(s.push('今天天气真好')).toEqual([]);
    expect(s.push('，').map((x) => x.displayText)).toEqual(['今天天气真好，']);
  });
});

describe('segmenter: segment sizes ramp up', () => {
  it('releases a short interjection first, then doubles the minimum until the normal size', () => {
    const options = { firstMinChars: 4, firstMaxChars: 60, minChars: 24, maxChars: 200 };
    expect(
      display(
        'Hehe, you are here! I knew it. You came back for me. I missed you so much today. Really, I did.',
        'tokens',
        options,
      ),
    ).toEqual([
      'Hehe,',
      'you are here!',
      'I knew it. You came back for me.',
      'I missed you so much today. Really, I did.',
    ]);
  });
});

describe('segmenter: tricky English', () => {
  it.each(['tokens', 'chars'] as const)(
    'keeps decimals, abbreviations and initials together (%s)',
    (mode) => {
      expect(
        display(
          'Pi is about 3.14159, which Dr. Smith likes very much indeed. J. R. R. Tolkien wrote a lot, e.g. The Hobbit, and it cost $1,000.50 back then.',
          mode,
        ),
      ).toEqual([
        'Pi is about 3.14159,',
        'which Dr. Smith likes very much indeed.',
        'J. R. R. Tolkien wrote a lot, e.g. The Hobbit, and it cost $1,000.50 back then.',
      ]);
    },
  );

  it('keeps ellipses inside later sentences but allows them as first clause boundary', () => {
    expect(display('Well... I guess so... if you really insist on it. Fine!')).toEqual([
      'Well... I guess so...',
      'if you really insist on it.',
      'Fine!',
    ]);
  });

  it('never cuts inside URLs and speaks only the host', () => {
    const segs = segment(
      'Check out https://example.com/a.b?c=1, it is great. See www.kiyo.dev. Bye now, friend!',
    );
    expect(segs.map((s) => s.displayText)).toEqual([
      'Check out https://example.com/a.b?c=1,',
      'it is great. See www.kiyo.dev.',
      'Bye now, friend!',
    ]);
    expect(segs.map((s) => s.spokenText)).toEqual([
      'Check out example.com,',
      'it is great. See kiyo.dev.',
      'Bye now, friend!',
    ]);
  });

  it('strips emoji from speech but keeps them on screen', () => {
    const segs = segment('Yay, you came back!🎉✨ I missed you so much 💖 really.');
    expect(segs.map((s) => s.displayText)).toEqual([
      'Yay, you came back!🎉✨',
      'I missed you so much 💖 really.',
    ]);
    expect(segs.map((s) => s.spokenText)).toEqual(['Yay, you came back!', 'I missed you so much really.']);
  });

  it('shows *actions* but does not speak them, and never cuts inside one', () => {
    const segs = segment('*leans closer, whispering* You know what, chat? *giggles* I think you are cute.');
    expect(segs.map((s) => s.displayText)).toEqual([
      '*leans closer, whispering* You know what,',
      'chat? *giggles* I think you are cute.',
    ]);
    expect(segs.map((s) => s.spokenText)).toEqual(['You know what,', 'chat? I think you are cute.']);
  });

  it('speaks markdown as plain words: bold, lists, inline code; skips code blocks', () => {
    const text = [
      'Here is **the plan**, okay:',
      '1. Wake up early.',
      '2. Drink `coffee` now.',
      '- Stream for **three** hours!',
      '```js',
      'console.log("not spoken. at all");',
      '```',
      'That is all, folks.',
    ].join('\n');
    expect(spoken(text)).toEqual([
      'Here is the plan,',
      'okay: Wake up early. Drink coffee now.',
      'Stream for three hours!',
      'That is all, folks.',
    ]);
  });
});

describe('segmenter: Chinese and Japanese without spaces', () => {
  it('cuts Chinese at clause and sentence punctuation', () => {
    expect(display('哈哈，你又来看我直播啦！今天想聊点什么呢？我可是准备了很多有趣的话题哦。')).toEqual([
      '哈哈，你又来看我直播啦！',
      '今天想聊点什么呢？我可是准备了很多有趣的话题哦。',
    ]);
  });

  it('cuts Japanese and keeps closing quotes with their sentence', () => {
    expect(display('えへへ、来てくれたんだ！「おはよう。」って言ってほしいの？しょうがないなあ。')).toEqual([
      'えへへ、来てくれたんだ！',
      '「おはよう。」って言ってほしいの？',
      'しょうがないなあ。',
    ]);
  });

  it('cuts over-long CJK text without punctuation at the size cap', () => {
    const long = '我'.repeat(200);
    const segs = display(long, 'chars', { ...OPTIONS, firstMaxChars: 20, maxChars: 40 });
    // At most the cap, never cut where the last word might still be growing.
    expect(segs[0]!.length).toBeLessThanOrEqual(10);
    expect(segs[0]!.length).toBeGreaterThanOrEqual(5);
    expect(segs.slice(1, -1).every((x) => x.length <= 20)).toBe(true);
    expect(segs.join('')).toBe(long);
  });
});

describe('segmenter: invariants', () => {
  const corpus = [
    'Sure thing! Let me tell you about my day: I woke up, streamed for 3.5 hours, and ate 2 bowls of ramen.',
    'Mr. and Mrs. Kobayashi visited at 10:30 a.m. and stayed until noon — wild, right?',
    '你好！我是Kiyo，今天也请多指教。Let us mix 中文 and English, okay?',
    '*yawns* I am so sleepy... maybe later? Or never!!! Who knows?!',
  ];

  it.each(corpus)('loses no visible text and yields increasing indexes: %s', (text) => {
    for (const mode of ['tokens', 'chars'] as const) {
      const segs = segment(text, mode);
      expect(segs.map((s) => s.index)).toEqual(segs.map((_, i) => i));
      expect(
        segs
          .map((s) => s.displayText)
          .join('')
          .replace(/\s/g, ''),
      ).toBe(text.replace(/\s/g, ''));
    }
  });

  it('gives the same segments whether fed by tokens or characters', () => {
    for (const text of corpus) expect(display(text, 'chars')).toEqual(display(text, 'tokens'));
  });
});
