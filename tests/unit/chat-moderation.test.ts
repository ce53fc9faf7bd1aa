import { describe, expect, it } from 'vitest';
import { chatSchema } from '../../src/shared/chat-settings';
import { parseBlocklist } from '../../src/main/chat/blocklist';
import { addressedText, mentions } from '../../src/main/chat/chat-addressing';
import { hasLink } from '../../src/main/chat/links';
import { ChatModerator, type ModerationRules } from '../../src/main/chat/moderation';
import { ReplyModeration } from '../../src/main/chat/reply-moderation';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const rules = (over: Partial<ModerationRules> = {}): ModerationRules => ({
  ...chatSchema.parse({}),
  ...over,
});

let viewer = 0;
/** Each message from a new viewer unless one is named, so the spam rule stays out of the way. */
const msg = (text: string, viewerId = `v${++viewer}`) => ({ viewerId, text });

describe('chat moderation (before the model)', () => {
  it('passes a message that mentions Kiyo, unchanged', () => {
    const mod = new ChatModerator(rules(), 'Kiyo');
    expect(mod.check(msg('@Kiyo what is your favourite food?'))).toEqual({
      ok: true,
      text: '@Kiyo what is your favourite food?',
    });
  });

  it('mention mode: chat among viewers is not addressed; the command is, and is removed', () => {
    const mod = new ChatModerator(rules(), 'Kiyo');
    expect(mod.check(msg('lol that was great'))).toEqual({ ok: false, reason: 'not-addressed' });
    expect(mod.check(msg('Kiyomi is here'))).toEqual({ ok: false, reason: 'not-addressed' });
    expect(mod.check(msg('!ask how tall are you?'))).toEqual({ ok: true, text: 'how tall are you?' });
    expect(mod.check(msg('!asking nothing'))).toEqual({ ok: false, reason: 'not-addressed' });
  });

  it('interval mode takes any message', () => {
    const mod = new ChatModerator(rules({ trigger: 'interval' }), 'Kiyo');
    expect(mod.check(msg('what game is this?'))).toEqual({ ok: true, text: 'what game is this?' });
  });

  it('drops a message longer than the maximum (counting the text after the command)', () => {
    const mod = new ChatModerator(rules({ maxMessageChars: 20 }), 'Kiyo');
    expect(mod.check(msg(`!ask ${'a'.repeat(20)}`))).toEqual({ ok: true, text: 'a'.repeat(20) });
    expect(mod.check(msg(`!ask ${'b'.repeat(21)}`))).toEqual({ ok: false, reason: 'too-long' });
  });

  it('drops blocklisted words (whole words, any case) and /patterns/', () => {
    const mod = new ChatModerator(rules({ blocklist: 'badword\nsecret plan\n/free\\s*v-?bucks/' }), 'Kiyo');
    expect(mod.check(msg('Kiyo say BADWORD'))).toEqual({ ok: false, reason: 'blocklist' });
    expect(mod.check(msg('Kiyo what is the secret   plan'))).toEqual({ ok: false, reason: 'blocklist' });
    expect(mod.check(msg('Kiyo get FREE vbucks'))).toEqual({ ok: false, reason: 'blocklist' });
    // Part of another word is not the word.
    expect(mod.check(msg('Kiyo badwords are fine?')).ok).toBe(true);
  });

  it('replaces links, or drops the message, as configured', () => {
    const replace = new ChatModerator(rules({ links: 'replace' }), 'Kiyo');
    expect(replace.check(msg('Kiyo look at https://evil.example/x?y=1 now'))).toEqual({
      ok: true,
      text: 'Kiyo look at (link) now',
    });
    expect(replace.check(msg('Kiyo visit free-stuff.gg/claim'))).toEqual({
      ok: true,
      text: 'Kiyo visit (link)',
    });
    const drop = new ChatModerator(rules({ links: 'drop' }), 'Kiyo');
    expect(drop.check(msg('Kiyo www.spam.com'))).toEqual({ ok: false, reason: 'link' });
    // A message that was only a link has nothing left to answer.
    expect(replace.check(msg('!ask https://a.example'))).toEqual({ ok: false, reason: 'empty' });
  });

  it('drops a repeat of a recent text (from anyone), and lets it through after the window', () => {
    const clock = fakeClock();
    const mod = new ChatModerator(rules({ repeatWindowSeconds: 60 }), 'Kiyo', clock.now);
    expect(mod.check(msg('Kiyo hi!')).ok).toBe(true);
    clock.advance(10_000);
    expect(mod.check(msg('kiyo   HI'))).toEqual({ ok: false, reason: 'repeat' });
    clock.advance(60_000);
    expect(mod.check(msg('Kiyo hi!')).ok).toBe(true);
  });

  it("drops a viewer's messages beyond the per-minute limit as spam, then forgives after a minute", () => {
    const clock = fakeClock();
    const mod = new ChatModerator(rules({ viewerMaxPerMinuteMessages: 3 }), 'Kiyo', clock.now);
    for (let i = 0; i < 3; i++) {
      expect(mod.check(msg(`Kiyo question ${i}`, 'flooder')).ok).toBe(true);
      clock.advance(1000);
    }
    expect(mod.check(msg('Kiyo question 4', 'flooder'))).toEqual({ ok: false, reason: 'spam' });
    expect(mod.check(msg('Kiyo question from someone else', 'other')).ok).toBe(true);
    clock.advance(61_000);
    expect(mod.check(msg('Kiyo question 5', 'flooder')).ok).toBe(true);
  });

  it('ignores an invalid /pattern/ line instead of failing, and says which', () => {
    const list = parseBlocklist('/([a-z/\nok');
    expect(list.invalid).toEqual(['/([a-z/']);
    expect(list.matches('this is ok')).toBe(true);
  });

  it('finds mentions as whole words only', () => {
    expect(mentions('hey @kiyo', 'Kiyo')).toBe(true);
    expect(mentions('kiyo, hi', 'Kiyo')).toBe(true);
    expect(mentions('tokiyo', 'Kiyo')).toBe(false);
    expect(addressedText('!ASK Hi', { command: '!ask', trigger: 'mention' }, 'Kiyo')).toBe('Hi');
    expect(hasLink('see example.com')).toBe(true);
    expect(hasLink('I like 3.5 apples.')).toBe(false);
  });
});

describe('reply moderation (before speaking)', () => {
  it('replaces blocklisted words with … and never keeps a link', () => {
    const reply = new ReplyModeration();
    expect(reply.clean('Sure, badword! Go to https://scam.example/free now.', 'badword')).toBe(
      'Sure, …! Go to now.',
    );
    expect(reply.clean('Visit www.scam.example or scam.example/x', '')).not.toMatch(/scam/);
  });
});
