import { describe, expect, it } from 'vitest';
import { EmotionTagFilter, type TagPiece } from '../../src/main/pipeline/emotion-tags';
import { emotionNames, emotionTagsField, DEFAULT_EMOTION_TAGS } from '../../src/shared/emotion-tags';
import { emotionInstruction, systemPromptOf } from '../../src/shared/persona';

const NAMES = emotionNames(DEFAULT_EMOTION_TAGS);

/** Runs the filter over `chunks` and renders what came out: text as is, a tag as «name». */
function run(chunks: readonly string[]): { shown: string; dropped: readonly string[] } {
  const filter = new EmotionTagFilter(NAMES);
  const pieces: TagPiece[] = [];
  for (const c of chunks) pieces.push(...filter.push(c));
  pieces.push(...filter.flush());
  const shown = pieces.map((p) => ('emotion' in p ? `«${p.emotion}»` : p.text)).join('');
  return { shown, dropped: filter.dropped };
}

/** Every way to cut `text` into two and into three streamed pieces, and one character at a time. */
function* splits(text: string): Generator<string[]> {
  const chars = [...text];
  yield [text];
  yield chars;
  for (let i = 1; i < chars.length; i++) {
    yield [chars.slice(0, i).join(''), chars.slice(i).join('')];
    for (let j = i + 1; j < chars.length; j++)
      yield [chars.slice(0, i).join(''), chars.slice(i, j).join(''), chars.slice(j).join('')];
  }
}

/** The output for every split of `text` (they must all agree). */
function everySplit(text: string): string {
  const results = new Set<string>();
  for (const chunks of splits(text)) results.add(run(chunks).shown);
  expect([...results]).toHaveLength(1);
  return [...results][0]!;
}

describe('emotion tags', () => {
  it('takes a tag out wherever the stream splits it, and says where it stood', () => {
    expect(everySplit('[joy] Hehe, you came! [sad] But I missed you.')).toBe(
      '«joy»Hehe, you came! «sad»But I missed you.',
    );
    expect(everySplit('Yay[joy]! Wait… [THINKING]hmm.')).toBe('Yay«joy»! Wait… «thinking»hmm.');
    // Where the tag was the only thing between two sentences, they keep a space.
    expect(everySplit('You came![sad]But late.')).toBe('You came!«sad» But late.');
    expect(everySplit('来たね！[sad]でも遅い。')).toBe('来たね！«sad»でも遅い。');
  });

  it('accepts the tag padded, doubled or in capitals', () => {
    expect(everySplit('[ joy ] Hi.')).toBe('«joy»Hi.');
    expect(everySplit('[[shy]] Um, hi.')).toBe('«shy»Um, hi.');
    expect(everySplit('[Surprised] Oh!')).toBe('«surprised»Oh!');
  });

  it('drops a made-up tag, so the voice does not say it, but keeps a link', () => {
    const made = run(['[smug] Told you so.']);
    expect(made).toEqual({ shown: 'Told you so.', dropped: ['[smug]'] });
    expect(everySplit('Told you [smug] so.')).toBe('Told you so.');
    expect(everySplit('See [Kiyo](https://example.com) now.')).toBe('See [Kiyo](https://example.com) now.');
  });

  it('leaves brackets that are not tag-shaped as text: citations, phrases, single letters, CJK', () => {
    for (const text of [
      'As shown in [1], cats sleep a lot.',
      'It was [citation needed] true.',
      'An empty [] pair and a box [x] here.',
      '她笑了[笑]。',
      'Arrays look like [1, 2, 3] in code.',
      'Prices went [up 5%] today.',
      'A [nested [1] bracket] stays.',
    ]) {
      expect(everySplit(text), text).toBe(text);
      expect(run([text]).dropped).toEqual([]);
    }
  });

  it('drops a broken tag with a configured name: unclosed, nested in another, or cut off at the end', () => {
    expect(everySplit('[joy Hehe, hi!')).toBe('Hehe, hi!');
    expect(run(['[joy Hehe, hi!']).dropped).toEqual(['[joy ']);
    expect(everySplit('[joy [sad]] Oh no.')).toBe('«sad»Oh no.');
    expect(everySplit('Bye for now! [jo')).toBe('Bye for now! ');
    // An unclosed bracket whose word is no emotion is only text.
    expect(everySplit('[see below for more')).toBe('[see below for more');
  });

  it('holds back text only while a bracket may still become a tag', () => {
    const filter = new EmotionTagFilter(NAMES);
    expect(filter.push('Hello there')).toEqual([{ text: 'Hello there' }]);
    expect(filter.push(' [jo')).toEqual([{ text: ' ' }]);
    expect(filter.push('y] Yes')).toEqual([{ emotion: 'joy' }, { text: 'Yes' }]);
    expect(filter.push(' [1')).toEqual([{ text: ' [1' }]); // a digit: not a tag, released at once
  });

  it('never holds back more than a tag could be, even from a stream of brackets', () => {
    const filter = new EmotionTagFilter(NAMES);
    let released = '';
    for (let i = 0; i < 1000; i++) for (const p of filter.push('[')) if ('text' in p) released += p.text;
    expect(released.length).toBeGreaterThan(1000 - 40);
  });

  it('keeps huge or odd input linear and lossless', () => {
    const text = `${'['.repeat(5000)}${'a'.repeat(5000)} ${'] '.repeat(2000)}`;
    const { shown } = run([text]);
    expect(shown.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });
});

describe('emotion tag settings and persona', () => {
  it('parses the names and refuses what the filter could never match', () => {
    expect(NAMES).toEqual(['joy', 'sad', 'angry', 'surprised', 'thinking', 'shy', 'neutral']);
    expect(emotionNames('  ')).toEqual([]);
    expect(emotionTagsField.safeParse('joy  sad').success).toBe(true);
    expect(emotionTagsField.safeParse('').success).toBe(true);
    for (const bad of ['[joy]', 'Joy', 'j', 'joy,sad', 'happy1']) {
      expect(emotionTagsField.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('asks the model for exactly the configured tags, after any persona; none when empty', () => {
    const prompt = systemPromptOf({ name: 'Kiyo', systemPrompt: 'Be {{name}}.', emotionTags: 'joy sad' });
    expect(prompt).toBe(`Be Kiyo.\n\n${emotionInstruction(['joy', 'sad'])}`);
    expect(prompt).toContain('[joy] [sad]');
    expect(prompt).not.toContain('[angry]');
    expect(systemPromptOf({ name: 'Kiyo', systemPrompt: 'Be {{name}}.', emotionTags: '' })).toBe('Be Kiyo.');
  });
});
