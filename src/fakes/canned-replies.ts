/**
 * The fake LLM's canned replies, per language: it answers in the language the user wrote in, so
 * a Chinese or Japanese prompt gets a Chinese or Japanese reply to hear and benchmark.
 */

export type ReplyLanguage = 'en' | 'zh' | 'ja';

export type RepliesByLanguage = Record<ReplyLanguage, string[]>;

/**
 * The language of a message, from its script: any kana is Japanese (Japanese mixes kana with
 * kanji; Chinese has no kana), other Han characters are Chinese, anything else English.
 */
export function replyLanguageOf(text: string): ReplyLanguage {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'ja';
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  return 'en';
}

/** The text of the last user message of a chat request ('' when there is none). */
export function lastUserText(messages: readonly { role: string; content: unknown }[]): string {
  const content = messages.findLast((m) => m.role === 'user')?.content;
  if (typeof content === 'string') return content;
  // The array form: [{ type: 'text', text }, …].
  if (Array.isArray(content))
    return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join(' ');
  return '';
}

/**
 * Short replies (two or three sentences): the fake server's default. They carry emotion tags, as
 * the persona asks of a real model, so tests and the app against the fakes exercise them.
 */
export const CHAT_REPLIES: RepliesByLanguage = {
  en: [
    "[joy] Hehe, you're finally here! [sad] I was starting to think you forgot about me. [joy] Let's make today fun, okay? I have a whole list of games for us, and you don't get to say no.",
    '[surprised] Oh, you want my honest opinion? *twirls hair* [thinking] Well, I think you worry way too much. Take a deep breath, grab a snack, and tell me everything from the start.',
    '[joy] Good morning to you too, sleepyhead! [shy] Did you dream about me? [joy] Just kidding, just kidding. Anyway, what are we doing first: chatting, gaming, or singing?',
  ],
  zh: [
    '[joy] 嘿嘿，你终于来啦！[sad] 我还以为你把我忘了呢。今天我们一起玩点有趣的吧，好不好？',
    '[surprised] 你想听我的真心话吗？[thinking] 我觉得你太在意小事了。先深呼吸，喝点热的，然后从头慢慢告诉我。',
    '[joy] 早上好呀，小懒虫！昨晚睡得好吗？今天天气不错，我们先聊天、玩游戏，还是唱歌？',
  ],
  ja: [
    '[joy] やっと来てくれたね！[sad] 忘れられちゃったかと思ったよ。今日は一緒に楽しいことしようね。',
    '[surprised] 本当の気持ちを聞きたいの？[thinking] ちょっと心配しすぎだと思うな。深呼吸して、最初から全部話してみて。',
    '[joy] おはよう、ねぼすけさん！よく眠れた？今日はいい天気だから、まずは何をしようか？',
  ],
};
