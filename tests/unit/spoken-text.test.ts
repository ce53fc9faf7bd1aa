import { describe, expect, it } from 'vitest';
import { Segmenter } from '../../src/main/pipeline/segmenter';
import { isSpeakable, speechLength, toSpokenText } from '../../src/main/pipeline/spoken-text';

// Characters XML 1.0 forbids (an SSML document with one is rejected) or a voice cannot say.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/u;

describe('control characters from the LLM never reach the voice', () => {
  const hostile =
    'Hello\u0000 there\u0007, friend\u001B[31m!\tHow\nare\r\nyou\u007F today\u0085?\uFFFE \uD800ok';

  it('are dropped from spoken text, while tabs and line breaks stay word gaps', () => {
    expect(FORBIDDEN.test(hostile)).toBe(true); // the input really has them
    const spoken = toSpokenText(hostile);
    expect(spoken).not.toMatch(FORBIDDEN);
    expect(spoken).toBe('Hello there, friend[31m! How are you today? ok');
  });

  it('are dropped from every segment the segmenter releases', () => {
    const segmenter = new Segmenter({ firstMinChars: 4, firstMaxChars: 60, minChars: 10, maxChars: 200 });
    const segments = [...[...hostile].flatMap((ch) => segmenter.push(ch)), ...segmenter.flush()];
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) expect(segment.spokenText).not.toMatch(FORBIDDEN);
    expect(segments.map((s) => s.spokenText).join(' ')).toMatch(/Hello there, friend.*How are you today\?/);
  });

  it('a reply of nothing but control characters has nothing to say', () => {
    expect(toSpokenText('\u0000\u0001\u0002')).toBe('');
  });
});

describe('what the voice says of a display text', () => {
  it('leaves out stage actions and emphasis marks, keeping the words', () => {
    expect(toSpokenText('*smiles* Hello **there**, _friend_!')).toBe('Hello there, friend!');
    expect(toSpokenText('~~old~~ new')).toBe('old new');
    // Underscores inside a word are part of it.
    expect(toSpokenText('snake_case_name stays')).toBe('snake_case_name stays');
  });

  it('says a link by its text and a bare URL by its site', () => {
    expect(toSpokenText('See [the docs](https://example.com/a) or https://www.example.org/path?x=1.')).toBe(
      'See the docs or example.org.',
    );
  });

  it('skips fenced code, reads inline code as words, and drops line markers', () => {
    expect(toSpokenText('Run `npm test` then\n```js\nconsole.log(1)\n```\ndone')).toBe(
      'Run npm test then done',
    );
    expect(toSpokenText('# Title\n- one\n- two\n1. first\n> quoted')).toBe('Title one two first quoted');
  });

  it('drops emoji with their modifiers, and the space they leave before punctuation', () => {
    expect(toSpokenText('Great job 🎉👍🏽! ❤️')).toBe('Great job!');
  });
});

describe('isSpeakable and speechLength', () => {
  it('a text is speakable when it has a letter or digit in any script', () => {
    expect(isSpeakable('!!! ...')).toBe(false);
    expect(isSpeakable('')).toBe(false);
    expect(isSpeakable('你')).toBe(true);
    expect(isSpeakable('42')).toBe(true);
  });

  it('counts a CJK character as two latin letters of speech, and no spaces', () => {
    expect(speechLength('hello world')).toBe(10);
    expect(speechLength('你好 ab')).toBe(6);
    expect(speechLength('こんにちは')).toBe(10);
  });
});
