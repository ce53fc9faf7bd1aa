import { z } from 'zod';

/**
 * The contract between the overlay page's ear (microphone, voice activity detection, utterance
 * buffering: src/renderer/src/voice) and main's speech-to-text turn (src/main/pipeline/stt).
 * The page decides when the user has spoken and stopped; main transcribes and runs the turn.
 */

/** Longest utterance the page sends, in seconds (16 kHz mono 16-bit WAV: 32 kB per second). */
export const UTTERANCE_MAX_SECONDS = 60;
export const UTTERANCE_SAMPLE_RATE = 16_000;
const WAV_HEADER_BYTES = 44;

export const LISTEN_MODES = ['hands-free', 'push-to-talk', 'muted'] as const;
export type ListenMode = (typeof LISTEN_MODES)[number];

/** How the push-to-talk key works: held down while talking, or pressed to start and again to send. */
export const PUSH_TO_TALK_STYLES = ['hold', 'toggle'] as const;

/** The voice activity detector hears in frames this long (Silero v5: 512 samples at 16 kHz). */
export const VAD_FRAME_MS = 32;

/**
 * How long after the end of speech the detector decides you have finished, ms: the configured
 * end-of-speech silence in whole frames, since it can only hear silence a frame at a time (500 ms
 * waits 16 frames, 512 ms). Preferences shows it; the voice turn's "speech end detected" mark and
 * the voice benchmark's hangover use it.
 */
export function detectorHangoverMs(endSilenceMs: number): number {
  return Math.max(1, Math.ceil(endSilenceMs / VAD_FRAME_MS - 1e-9)) * VAD_FRAME_MS;
}

/** One finished utterance, sent the moment voice activity detection says speech ended. */
export const utteranceSchema = z.object({
  /** 16 kHz mono 16-bit PCM WAV, pre-roll included. */
  wav: z
    .instanceof(Uint8Array)
    .refine((b) => b.byteLength > WAV_HEADER_BYTES, 'empty audio')
    .refine(
      (b) => b.byteLength <= WAV_HEADER_BYTES + UTTERANCE_MAX_SECONDS * UTTERANCE_SAMPLE_RATE * 2,
      'utterance too long',
    ),
  /** Speech between detected start and end, ms (pre-roll and hangover excluded). */
  speechMs: z
    .number()
    .min(0)
    .max(UTTERANCE_MAX_SECONDS * 1000),
  /**
   * ms between the last voiced frame (the real end of speech) and the moment the page sent this:
   * the end-of-speech hangover plus encoding. Main puts the turn's zero that far back, so the
   * latency marks read from the end of speech on any clock.
   */
  sinceSpeechEndMs: z.number().min(0).max(10_000),
});
export type Utterance = z.infer<typeof utteranceSchema>;

/** What the page's ear does with the microphone; main sends it on start and on every change. */
export const voiceInputSchema = z.object({
  mode: z
    .enum(LISTEN_MODES)
    .default('muted')
    .describe(
      'hands-free: Kiyo listens whenever you speak; push-to-talk: only while the push-to-talk key is held (or toggled); muted: the microphone is off.',
    ),
  pushToTalkStyle: z
    .enum(PUSH_TO_TALK_STYLES)
    .default('hold')
    .describe(
      'hold: talk while the push-to-talk key is held down, sent when you let go (needs a global keyboard hook, which watches the key only while push-to-talk is on; where the system refuses one the key toggles); toggle: press the key to start talking, press it again to send.',
    ),
  deviceId: z.string().max(512).default('').describe("Microphone to listen to ('' = the system default)."),
  speechThreshold: z
    .number()
    .min(0.05)
    .max(0.95)
    .default(0.5)
    .describe(
      'Voice probability (0–1) above which a frame counts as speech; higher ignores more background noise and quiet speech.',
    ),
  minSpeechMs: z
    .number()
    .int()
    .min(0)
    .max(2000)
    .default(250)
    .describe('ms of speech an utterance needs; shorter sounds (a cough, a click) are ignored.'),
  endSilenceMs: z
    .number()
    .int()
    .min(100)
    .max(3000)
    .default(500)
    .describe(
      'ms of silence after which you are taken to have finished speaking (the end-of-speech hangover), heard in whole 32 ms frames (500 waits 512); every reply waits at least this long.',
    ),
  preRollMs: z
    .number()
    .int()
    .min(300)
    .max(2000)
    .default(400)
    .describe('ms of audio kept from before the detected start, so first syllables are not lost.'),
  bargeIn: z
    .boolean()
    .default(true)
    .describe('Speaking while Kiyo talks interrupts her (after the barge-in speech length below).'),
  bargeInMinSpeechMs: z
    .number()
    .int()
    .min(0)
    .max(2000)
    .default(300)
    .describe(
      "ms of your speech needed before it interrupts Kiyo; with echo cancellation this keeps Kiyo's own voice from the speakers from interrupting her.",
    ),
  showStateOnStream: z
    .boolean()
    .default(false)
    .describe('Show the listening / hearing you / thinking state on the OBS page too.'),
});
export type VoiceInputSettings = z.infer<typeof voiceInputSchema>;

/** What the ear is doing, as the desktop overlay shows it (and the OBS page, if asked to). */
export const EAR_STATES = ['off', 'listening', 'hearing', 'thinking', 'unavailable'] as const;
export type EarState = (typeof EAR_STATES)[number];

/**
 * The overlay page reports its ear to main a few times a second while it listens, so Preferences
 * (which has no microphone permission of its own) can show the level meter and the microphones.
 */
export const voiceStatusSchema = z.object({
  state: z.enum(EAR_STATES),
  /** Input level 0–1 (RMS, after the browser's gain control). */
  level: z.number().min(0).max(1),
  devices: z.array(z.object({ deviceId: z.string().max(512), label: z.string().max(200) })).max(32),
  /** A plain sentence when the microphone is denied, absent or failed; never technical text. */
  problem: z.string().max(200).optional(),
});
export type VoiceStatus = z.infer<typeof voiceStatusSchema>;
