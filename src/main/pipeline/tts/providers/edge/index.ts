import { EDGE_ENDPOINT, EdgeTtsEngine } from '../../edge-tts-engine';
import { defineProvider } from '../provider';
import { edgeInfo } from '../../../../../shared/tts-providers/edge';

export const edgeProvider = defineProvider(
  edgeInfo,
  (settings, { logger, endpoints }) => new EdgeTtsEngine(settings, logger, endpoints?.edge ?? EDGE_ENDPOINT),
);
