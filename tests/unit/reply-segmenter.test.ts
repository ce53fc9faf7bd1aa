import { describe, expect, it } from 'vitest';
import { CHAT_REPLIES } from '../../src/fakes/canned-replies';
import { tokenize } from '../../src/fakes/tokenize';
import { ReplySegmenter, rememberedText } from '../../src/main/pipeline/reply-segmenter';
import type { TextSegment } from '../../src/main/pipeline/segmenter';
import { parsePipelineSettings, type PipelineSettingsInput } from '../../src/shared/settings';

function run(chunks: readonly string[], overrides: PipelineSettingsInput = {}) {
  const settings = parsePipelineSettings(overrides);
  const reply = new ReplySegmenter(settings.streaming, settings.character);
  let text = '';
  const segments: TextSegment[] = [];
  for (const chunk of chunks) {
    const out = reply.push(chunk);
    text += out.text;
    segments.push(...out.segments);
  }
  const rest = reply.flush();
  text += rest.text;
  segments.push(...rest.segments);
  return { text, segments, history: reply.historyText, dropped: reply.droppedTags };
}

const TAGGED =
  '[joy] Hehe, you came! [sad] But I missed you so much, you know. [thinking] Hmm. [foo] What now?';

describe('the reply text path: emotion tags and segments', () => {
  it('gives each segment the tag that stood in it and lets no tag reach text, voice or subtitles', () => {
    const { text, segments, history, dropped } = run(tokenize(TAGGED));
    expect(segments.map((s) => [s.displayText, s.emotion])).toEqual([
      ['Hehe,', 'joy'],
      ['you came!', undefined],
      ['But I missed you so much, you know.', 'sad'],
      ['Hmm. What now?', 'thinking'],
    ]);
    for (const s of segments) {
      expect(s.displayText).not.toMatch(/[[\]]|joy|sad|thinking|foo/);
      expect(s.spokenText).not.toMatch(/[[\]]|joy|sad|thinking|foo/);
    }
    expect(text).toBe('Hehe, you came! But I missed you so much, you know. Hmm. What now?');
    expect(history).toBe(
      '[joy] Hehe, you came! [sad] But I missed you so much, you know. [thinking] Hmm. What now?',
    );
    expect(dropped).toEqual(['[foo]']);
  });

  it('gives the same segments however the stream splits the tags', () => {
    const expected = run([TAGGED]).segments;
    const chars = [...TAGGED];
    for (let i = 1; i < chars.length; i++) {
      const got = run([chars.slice(0, i).join(''), chars.slice(i).join('')]).segments;
      expect(got, `split at ${i}`).toEqual(expected);
    }
    expect(run(chars).segments).toEqual(expected);
  });

  it('a tag right at a cut belongs to the text after it', () => {
    const { segments } = run(tokenize('[joy] Hello there, my friend![sad]But I missed you so much.'));
    expect(segments.map((s) => [s.displayText, s.emotion])).toEqual([
      ['Hello there,', 'joy'],
      ['my friend!', undefined],
      ['But I missed you so much.', 'sad'],
    ]);
  });

  it('keeps the first of several tags in one segment', () => {
    const { segments } = run(['[shy] Um, [joy] hi! [surprised] Oh [angry] wow.']);
    // "Um," alone is too short to go first, so "Um, hi!" holds two tags, and so does "Oh wow.".
    expect(segments.map((s) => s.displayText)).toEqual(['Um, hi!', 'Oh wow.']);
    expect(segments.map((s) => s.emotion)).toEqual(['shy', 'surprised']);
  });

  it('a tag at the very end goes with the last segment still open; a tag before a code block, to the next spoken one', () => {
    expect(run(['I am so happy for you [joy]']).segments[0]).toMatchObject({ emotion: 'joy' });
    const { segments } = run(['[thinking] ```\ncode\n```\nThat is the code, see?']);
    expect(segments[0]).toMatchObject({ displayText: 'That is the code,', emotion: 'thinking' });
  });

  it('in traditional mode the one segment carries the first tag', () => {
    const { segments, text } = run(tokenize(TAGGED), { streaming: { enabled: false } });
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ emotion: 'joy', displayText: text });
    expect(segments[0]!.spokenText).not.toMatch(/\[|joy/);
  });

  it('with no emotion tags configured, brackets are left alone', () => {
    const { text, segments } = run(['[joy] Hi there, friend.'], { character: { emotionTags: '' } });
    expect(text).toBe('[joy] Hi there, friend.');
    expect(segments.every((s) => s.emotion === undefined)).toBe(true);
  });

  it("takes the tags out of the fake's default replies in every language", () => {
    for (const reply of Object.values(CHAT_REPLIES).flat()) {
      expect(reply).toMatch(/^\[\w+\]/);
      const { text, segments } = run(tokenize(reply));
      expect(text, reply).not.toMatch(/[[\]]/);
      expect(segments[0]?.emotion, reply).toBeTypeOf('string');
      expect(segments.map((s) => s.spokenText).join(' ')).not.toMatch(/[[\]]/);
    }
  });

  it('an interrupted reply is remembered with its tags', () => {
    const { segments } = run(tokenize(TAGGED));
    expect(rememberedText(segments.slice(0, 3))).toBe(
      '[joy] Hehe, you came! [sad] But I missed you so much, you know.',
    );
  });
});
