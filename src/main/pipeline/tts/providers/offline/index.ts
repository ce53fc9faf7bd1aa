import { OfflineTtsEngine } from '../../offline-tts-engine';
import { defineProvider } from '../provider';
import { offlineInfo } from '../../../../../shared/tts-providers/offline';

export const offlineProvider = defineProvider(offlineInfo, (settings) => new OfflineTtsEngine(settings));
