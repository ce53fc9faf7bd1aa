import type { RepliesByLanguage } from './canned-replies';
import type { FakeEdgeOptions } from './fake-edge-tts-server';
import type { FakeOpenAiOptions } from './fake-openai-server';
import type { FakeSpeechOptions } from './fake-openai-speech-server';
import type { FakeTranscriptionOptions } from './fake-openai-transcription-server';

/** Upstream timing profiles for the benchmark and for running the app against the fakes. */
export const PROFILES = {
  /** A hosted LLM and Edge TTS on a good connection. */
  realistic: {
    llm: { ttftMs: 300, tokensPerSecond: 30 },
    tts: { ttfbMs: 150, realtimeFactor: 0.2 },
    /** An OpenAI-compatible speech API (hosted, or a local Kokoro on a GPU). */
    speech: { ttfbMs: 250, realtimeFactor: 0.2 },
    /** A hosted speech-to-text API (OpenAI gpt-4o-mini-transcribe, Groq) on a good connection. */
    stt: { latencyMs: 300, perAudioSecondMs: 30 },
  },
  /** A small local model on a laptop and a slow network. */
  slow: {
    llm: { ttftMs: 1200, tokensPerSecond: 12 },
    tts: { ttfbMs: 400, realtimeFactor: 0.5 },
    speech: { ttfbMs: 600, realtimeFactor: 0.5 },
    stt: { latencyMs: 800, perAudioSecondMs: 150 },
  },
  /** As fast as the machine allows: for the memory soak. */
  instant: {
    llm: { ttftMs: 0, tokensPerSecond: 100_000 },
    tts: { ttfbMs: 0, realtimeFactor: 0 },
    speech: { ttfbMs: 0, realtimeFactor: 0 },
    stt: { latencyMs: 0, perAudioSecondMs: 0 },
  },
} satisfies Record<
  string,
  { llm: FakeOpenAiOptions; tts: FakeEdgeOptions; speech: FakeSpeechOptions; stt: FakeTranscriptionOptions }
>;

export type ProfileName = keyof typeof PROFILES;

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(PROFILES, name);
}

/**
 * Replies of a chatty companion's length (about 90 tokens, five or six sentences): the speed-up
 * over traditional mode grows with reply length, so the benchmark states the length it uses.
 */
export const BENCH_REPLIES = [
  "Hehe, you're finally here! I was starting to think you forgot about me, you know. Let's make today fun, okay? I have a whole list of games for us, and you don't get to say no. First up is a quiz about my favourite snacks, and if you get fewer than three right, you owe me a song on stream tonight. After that we can watch the sunset together and rate the clouds from one to ten.",
  "Oh, you want my honest opinion? Well, I think you worry way too much about the little things. Take a deep breath, grab something warm to drink, and tell me everything from the very start. I promise I won't laugh, at least not very loudly, and I might even have some surprisingly good advice for you. Chat is on your side too, look at all those hearts. See? Nobody here is judging you.",
  'Good morning to you too, sleepyhead! Did you dream about me again? Just kidding, just kidding. Anyway, the weather looks great today, so maybe we should plan something outside later. But first, chat wants to know what you had for breakfast, and I told them it was probably cold pizza, so prove me wrong. If it really was cold pizza, you have to tell everyone the topping as a punishment.',
];

/** The benchmark's replies in each language the fake answers in (about 100 characters for CJK). */
export const BENCH_REPLIES_BY_LANGUAGE: RepliesByLanguage = {
  en: BENCH_REPLIES,
  zh: [
    '嘿嘿，你终于来啦！我还以为你把我忘了呢。今天我们一定要玩得开心，我已经准备好了一整张游戏清单，你可不许说不。第一个是关于我最爱零食的小测验，答对不到三题的话，今晚就要在直播里给我唱一首歌。然后我们一起看日落，给天上的云打分吧。',
    '你想听我的真心话吗？我觉得你总是太在意那些小事了。先深呼吸，倒一杯热饮，然后从头到尾慢慢告诉我。我保证不会笑你，至少不会笑得太大声，说不定还能给你一些意外好用的建议。你看，弹幕也都站在你这边，满屏都是爱心呢。',
    '早上好呀，小懒虫！昨晚又梦到我了吗？开玩笑的啦。今天天气特别好，我们晚点可以计划去外面走走。不过先说好，观众们都想知道你早餐吃了什么，我猜是冷掉的披萨，快证明我猜错了。如果真的是冷披萨，你就要告诉大家上面放了什么配料。',
  ],
  ja: [
    'やっと来てくれたね！忘れられちゃったかと思ったよ。今日は絶対に楽しい一日にしようね。遊びたいゲームのリストをもう作ってあるから、断るのはなしだよ。最初は私の好きなお菓子クイズで、三問以上正解できなかったら、今夜の配信で一曲歌ってもらうからね。そのあとは一緒に夕焼けを見て、雲に点数をつけようよ。',
    '私の本当の気持ちを聞きたいの？うーん、あなたは小さなことを気にしすぎだと思うな。まずは深呼吸して、温かい飲み物を用意して、最初から全部話してみて。笑わないって約束するよ、大声ではね。もしかしたら意外といいアドバイスができるかも。ほら、コメント欄もみんなあなたの味方だよ。',
    'おはよう、ねぼすけさん！また私の夢を見てたの？なんてね、冗談だよ。今日はすごくいい天気だから、あとで外に出かける計画を立てようか。でもその前に、みんなが朝ごはんに何を食べたか知りたがってるよ。どうせ冷めたピザでしょって言っちゃったから、違うって証明してね。',
  ],
};
