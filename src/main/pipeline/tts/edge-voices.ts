import { MsEdgeTTS } from 'msedge-tts';
import type { EdgeVoice } from '../../../shared/preferences-api';

/** Where Edge publishes its voice list; tests point it at the fake service. */
export const EDGE_VOICES_URL =
  'https://speech.platform.bing.com/consumer/speech/synthesize/readaloud/voices/list?trustedclienttoken=6A5AA1D4EAFF4E9FB37E23D68491D6F4';

/** Edge's neural voices, sorted by locale then name. */
export async function fetchEdgeVoices(url: string = EDGE_VOICES_URL): Promise<EdgeVoice[]> {
  // msedge-tts reads the list URL from a static field, like its socket endpoint.
  (MsEdgeTTS as unknown as { VOICES_URL: string }).VOICES_URL = url;
  const voices = await new MsEdgeTTS().getVoices();
  return voices
    .map((v) => ({
      shortName: v.ShortName,
      locale: v.Locale,
      gender: v.Gender,
      friendlyName: v.FriendlyName,
    }))
    .sort((a, b) => a.locale.localeCompare(b.locale) || a.shortName.localeCompare(b.shortName));
}
