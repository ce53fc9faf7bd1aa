import type { FakeEdgeOptions } from './fake-edge-tts-server';
import type { FakeOpenAiOptions } from './fake-openai-server';

/** Upstream timing profiles for the benchmark and for running the app against the fakes. */
export const PROFILES = {
  /** A hosted LLM and Edge TTS on a good connection. */
  realistic: {
    llm: { ttftMs: 300, tokensPerSecond: 30 },
    tts: { ttfbMs: 150, realtimeFactor: 0.2 },
  },
  /** A small local model on a laptop and a slow network. */
  slow: {
    llm: { ttftMs: 1200, tokensPerSecond: 12 },
    tts: { ttfbMs: 400, realtimeFactor: 0.5 },
  },
  /** As fast as the machine allows: for the memory soak. */
  instant: {
    llm: { ttftMs: 0, tokensPerSecond: 100_000 },
    tts: { ttfbMs: 0, realtimeFactor: 0 },
  },
} satisfies Record<string, { llm: FakeOpenAiOptions; tts: FakeEdgeOptions }>;

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
