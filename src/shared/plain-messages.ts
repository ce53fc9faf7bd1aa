import type { ErrorCode, NoticeCode } from './pipeline-events';

/**
 * What the windows are told about a problem: one short sentence a user can act on, never codes,
 * hosts or stack traces. The technical detail stays in main (the log and Preferences → Advanced).
 * Keyed by code, so a new code without a sentence fails the type check.
 */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  'llm-auth': 'The language model refused the API key — check Preferences → LLM.',
  'llm-not-found': 'The language model was not found — check the base URL and model in Preferences → LLM.',
  'llm-bad-request': 'The language model refused the request — details in Preferences → Advanced.',
  'llm-rate-limit': 'The language model is busy right now. Try again in a moment.',
  'llm-server': 'The language model had a problem answering. Try again in a moment.',
  'llm-connection': "The language model didn't answer — check Preferences → LLM.",
  'llm-stall': 'The language model stopped answering, so Kiyo gave up on this reply.',
  'llm-malformed': "The language model sent something Kiyo couldn't read — check Preferences → LLM.",
  'llm-incomplete': 'The reply was cut off; Kiyo said what had arrived.',
  'tts-connection': "Kiyo can't reach her voice service.",
  'tts-timeout': "Kiyo's voice service stopped answering.",
  'tts-dropped': "Kiyo's voice service dropped the connection.",
  'tts-failed': "Kiyo's voice failed for this reply.",
  'stt-auth': 'The speech-to-text service refused the API key — check Preferences → Listening.',
  'stt-bad-request':
    "The speech-to-text service couldn't take that recording — details in Preferences → Advanced.",
  'stt-rate-limit': 'The speech-to-text service is busy right now. Say it again, or retry, in a moment.',
  'stt-server': 'The speech-to-text service had a problem. Retry, or say it again.',
  'stt-connection': "Kiyo can't reach the speech-to-text service — check Preferences → Listening.",
  'stt-timeout': "The speech-to-text service didn't answer in time. Retry, or say it again.",
  'stt-empty': "Kiyo didn't catch any words. Try saying it again.",
  internal: 'Something went wrong inside Kiyo — details in Preferences → Advanced.',
};

export const NOTICE_MESSAGES: Record<NoticeCode, string> = {
  'tts-offline': "Kiyo can't reach her usual voice, so she is using a backup voice for now.",
  'tts-online': "Kiyo's usual voice is back.",
  'reply-unspeakable': "Kiyo's reply had nothing to say aloud.",
  'reply-truncated': "Kiyo's reply was too long, so she stopped there.",
};

/**
 * The friendly status the OBS page may show (only when the user turned it on). An audience sees
 * no reason, only that something is going on; codes without an entry show nothing there.
 */
export const STREAM_STATUS: Partial<Record<ErrorCode | NoticeCode, string>> = {
  ...Object.fromEntries(
    (Object.keys(ERROR_MESSAGES) as ErrorCode[]).map((code) => [code, 'Kiyo is taking a short break.']),
  ),
  'tts-offline': "Kiyo's voice sounds a little different for now.",
  'tts-online': "Kiyo's voice is back.",
};
