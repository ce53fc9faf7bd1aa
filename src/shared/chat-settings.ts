import { z } from 'zod';

/**
 * Live chat: where it is read from, which messages Kiyo answers, and what is dropped before the
 * model sees it. Flat on purpose: every field is one Preferences control with its unit and
 * explanation, and docs/settings.md is generated from these `describe()` texts.
 */

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Twitch's own chat server; a sign-in token is only ever sent there. */
export const TWITCH_CHAT_SERVER = 'wss://irc-ws.chat.twitch.tv:443';

export const CHAT_TRIGGERS = ['mention', 'interval'] as const;
export const STREAMER_FIRST_MODES = ['interrupt', 'wait'] as const;
export const LINK_HANDLING = ['drop', 'replace'] as const;

export const chatSchema = z.object({
  enabled: z
    .boolean()
    .default(false)
    .describe('Read live chat and answer it aloud (Twitch and the local chat endpoint).'),
  twitchChannel: z
    .string()
    .trim()
    .max(25)
    .regex(/^#?[A-Za-z0-9_]*$/, { message: 'a Twitch channel name has only letters, digits and _' })
    .default('')
    .describe(
      'Twitch channel to read (the name in twitch.tv/<name>); empty = no Twitch chat. Read anonymously.',
    ),
  twitchServer: z
    .url({ protocol: /^wss?$/, error: 'a chat server address starts with wss:// or ws://' })
    .default(TWITCH_CHAT_SERVER)
    .describe(
      "Twitch chat server (IRC over WebSocket). Change only for testing; a sign-in token goes only to Twitch's own.",
    ),
  postAnswers: z
    .boolean()
    .default(false)
    .describe(
      "Also post Kiyo's answer in the Twitch chat. Needs a sign-in token (entered in the chat panel; stored encrypted, sent only to Twitch).",
    ),
  trigger: z
    .enum(CHAT_TRIGGERS)
    .default('mention')
    .describe(
      "mention = answer messages that name Kiyo or start with the command; interval = pick one message every 'pick interval'.",
    ),
  command: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^\S+$/, { message: 'a command is one word, e.g. !ask' })
    .default('!ask')
    .describe('A message starting with this is a question for Kiyo (the command is not read out).'),
  pickIntervalSeconds: int(3, 3600)
    .default(30)
    .describe('Interval mode: seconds between two chat answers; the best waiting message is picked.'),
  priorityModerators: z
    .boolean()
    .default(true)
    .describe("Moderators' and the broadcaster's messages go first."),
  prioritySubscribers: z.boolean().default(true).describe("Subscribers' messages go before other viewers'."),
  priorityBitsMin: int(0, 1_000_000)
    .default(100)
    .describe('Messages cheering at least this many bits go first (0 = bits give no priority).'),
  viewerCooldownSeconds: int(0, 3600)
    .default(60)
    .describe("Seconds after Kiyo answers a viewer before another of that viewer's messages is taken."),
  maxQueueMessages: int(1, 100)
    .default(10)
    .describe(
      'Messages waiting at most; when full, a new message replaces the lowest-priority one or is dropped.',
    ),
  staleSeconds: int(5, 3600)
    .default(120)
    .describe('A waiting message older than this is dropped: the conversation has moved on.'),
  maxMessageChars: int(10, 500)
    .default(200)
    .describe('Longer messages are dropped (the limit counts the text after the command).'),
  links: z
    .enum(LINK_HANDLING)
    .default('replace')
    .describe('A message with a link: drop it, or replace the link with "(link)" before the model sees it.'),
  blocklist: z
    .string()
    .max(10_000)
    .default('')
    .describe(
      'One entry a line: a word or phrase (case-insensitive, whole words), or /a regular expression/. A message containing one is dropped; in a reply it is replaced by "…".',
    ),
  repeatWindowSeconds: int(0, 3600)
    .default(120)
    .describe('The same text again within this many seconds (from anyone) is dropped as a repeat (0 = off).'),
  viewerMaxPerMinuteMessages: int(1, 100)
    .default(6)
    .describe("A viewer's messages beyond this many in a minute are dropped as spam."),
  streamerFirst: z
    .enum(STREAMER_FIRST_MODES)
    .default('interrupt')
    .describe(
      'When the streamer types or speaks during a chat answer: interrupt = cut the answer off at once; wait = the streamer is answered right after it.',
    ),
  streamerQuietSeconds: int(0, 600)
    .default(5)
    .describe("Seconds after the streamer's own turn ends before Kiyo turns to chat again."),
});

export type ChatSettings = z.infer<typeof chatSchema>;
