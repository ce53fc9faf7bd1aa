import type { LlmFault } from '../../src/fakes/fake-openai-server';
import type { FakeEdgeTtsServer } from '../../src/fakes/fake-edge-tts-server';
import type { ErrorCode } from '../../src/shared/pipeline-events';

/** The error each LLM fault of the fake must surface as when the client does not retry. */
export const LLM_FAULT_CODES: Partial<Record<LlmFault, ErrorCode>> = {
  'http-401': 'llm-auth',
  'http-429': 'llm-rate-limit',
  'http-500': 'llm-server',
  stall: 'llm-stall',
  'stall-mid-stream': 'llm-stall',
  'malformed-chunk': 'llm-malformed',
  'early-close': 'llm-incomplete',
  'no-finish': 'llm-incomplete',
};

/** What the engine logs when a clause's socket failed and it tried again on a fresh one. */
export const TTS_RETRY_LOG = /Edge TTS failed (before any audio|in the middle of a clause).*on a new socket/;

/**
 * Texts the fake Edge server was asked to speak more than once since request number `from`: the
 * service's side of the evidence that a clause failed there and was asked for again.
 */
export function repeatedRequests(tts: FakeEdgeTtsServer, from = 0): string[] {
  const counts = new Map<string, number>();
  for (const request of tts.requests.slice(from))
    counts.set(request.text, (counts.get(request.text) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([text]) => text);
}
