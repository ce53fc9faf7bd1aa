import { createHash } from 'node:crypto';
import {
  audioFormatOf,
  type TtsProviderId,
  type TtsProvidersSettingsOf,
} from '../../../shared/tts-providers/catalog';

/**
 * What decides how a provider's audio sounds, from its settings: the voice, its rate and pitch,
 * the audio format, and for a speech API its address and model. Connection tuning (warm sockets,
 * timeouts) and API keys are left out: they change nothing audible, and a key must never be
 * written into the cache file. A mapped type, so a new provider cannot be added without saying
 * what identifies its voice.
 */
const VOICE_IDENTITY: { [Id in TtsProviderId]: (settings: TtsProvidersSettingsOf[Id]) => unknown[] } = {
  edge: (s) => [s.voice, s.rate, s.pitch, s.volume, s.outputFormat],
  openai: (s) => [s.baseUrl, s.model, s.voice, s.speed, s.instructions, s.responseFormat, s.pcmSampleRate],
  offline: (s) => [s.voice, s.speed],
};

/**
 * The voice part of a phrase key: the provider id, then a digest of voice, rate, pitch, format
 * (and a speech API's address): the key is written to the cache file, and an address may carry
 * credentials (https://user:pass@host) that must not land there in plain text.
 */
export function voiceKey<Id extends TtsProviderId>(id: Id, settings: TtsProvidersSettingsOf[Id]): string {
  const format = audioFormatOf(id, { [id]: settings } as unknown as TtsProvidersSettingsOf);
  const identity = JSON.stringify([...VOICE_IDENTITY[id](settings), format]);
  return `${id}:${createHash('sha256').update(identity).digest('base64url')}`;
}

/** The provider whose voice a phrase key belongs to. */
export function providerOfKey(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/** The cache key of `text` spoken by that voice: the exact text, nothing normalised. */
export function phraseKey(voice: string, text: string): string {
  return `${voice}\n${text}`;
}
