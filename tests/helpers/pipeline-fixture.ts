import { FakeEdgeTtsServer, type FakeEdgeOptions } from '../../src/fakes/fake-edge-tts-server';
import { FakeOpenAiServer, type FakeOpenAiOptions } from '../../src/fakes/fake-openai-server';
import { Conversation } from '../../src/main/pipeline/conversation';
import { createLogger, type Logger } from '../../src/main/pipeline/logger';
import { ProviderTtsEngine } from '../../src/main/pipeline/tts/provider-tts-engine';
import { FILLER_SEGMENT, type PipelineEvent } from '../../src/shared/pipeline-events';
import { parsePipelineSettings, type PipelineSettingsInput } from '../../src/shared/settings';

export interface Fakes {
  llm: FakeOpenAiServer;
  tts: FakeEdgeTtsServer;
  close(): Promise<void>;
}

/** Fast but still streaming upstreams, so tests stay quick. */
export async function startFakes(llm: FakeOpenAiOptions = {}, tts: FakeEdgeOptions = {}): Promise<Fakes> {
  const llmServer = await FakeOpenAiServer.start({ ttftMs: 20, tokensPerSecond: 400, ...llm });
  const ttsServer = await FakeEdgeTtsServer.start({ ttfbMs: 10, realtimeFactor: 0, ...tts });
  return {
    llm: llmServer,
    tts: ttsServer,
    close: async () => {
      await llmServer.close();
      await ttsServer.close();
    },
  };
}

export function testLogger(lines: string[] = []): Logger {
  return createLogger({ level: 'debug', sink: (_level, line) => lines.push(line) });
}

export function makeConversation(
  fakes: Fakes,
  overrides: PipelineSettingsInput = {},
  logger: Logger = testLogger(),
): Conversation {
  const settings = parsePipelineSettings({
    ...overrides,
    llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake', maxRetries: 0, ...overrides.llm },
    tts: {
      fallback: [],
      ...overrides.tts,
      providers: {
        ...overrides.tts?.providers,
        edge: { warmConnections: 1, timeoutMs: 2000, ...overrides.tts?.providers?.edge },
      },
    },
  });
  // The app's composition (chosen provider, then the fallback order) with the fake Edge service;
  // no fallback unless a test asks, so Edge's own failures stay visible.
  const tts = new ProviderTtsEngine(settings.tts, { logger, endpoints: { edge: fakes.tts.url } });
  return new Conversation({ settings, tts, logger });
}

export async function collect(turn: AsyncIterable<PipelineEvent>): Promise<PipelineEvent[]> {
  const events: PipelineEvent[] = [];
  for await (const event of turn) events.push(event);
  return events;
}

export function ofType<T extends PipelineEvent['type']>(events: PipelineEvent[], type: T) {
  return events.filter((e): e is Extract<PipelineEvent, { type: T }> => e.type === type);
}

/** The ordering guarantees documented on PipelineEvent. Throws with a description of the first violation. */
export function assertEventOrder(events: PipelineEvent[]): void {
  const fail = (why: string) => {
    throw new Error(`event order violated: ${why}\n${events.map((e) => e.type).join(' ')}`);
  };
  if (events[0]?.type !== 'turn-start') fail('first event is not turn-start');
  if (events.at(-1)?.type !== 'turn-end') fail('last event is not turn-end');
  if (events.filter((e) => e.type === 'turn-end').length !== 1) fail('more than one turn-end');
  if (events.filter((e) => e.type === 'error').length > 1) fail('more than one error');
  const announced = new Set<number>();
  let playing = 0;
  let seq = 0;
  let fillerSeq = 0;
  let replyAudio = false;
  for (const e of events) {
    if (e.type === 'audio' && e.segmentIndex === FILLER_SEGMENT) {
      // The acknowledgement filler: whole, in order, before any of the reply's audio.
      if (replyAudio) fail('filler audio after reply audio');
      if (e.seq !== fillerSeq++) fail(`filler audio seq ${e.seq}`);
    } else if (e.type === 'segment') {
      if (e.index !== announced.size) fail(`segment ${e.index} out of order`);
      announced.add(e.index);
    } else if (e.type === 'audio') {
      replyAudio = true;
      if (!announced.has(e.segmentIndex)) fail(`audio before its segment ${e.segmentIndex}`);
      if (e.segmentIndex !== playing) fail(`audio of ${e.segmentIndex} while ${playing} is playing`);
      if (e.seq !== seq++) fail(`audio seq ${e.seq} of segment ${e.segmentIndex}`);
    } else if (e.type === 'segment-end') {
      if (e.index !== playing) fail(`segment-end ${e.index} while ${playing} is playing`);
      playing++;
      seq = 0;
    }
  }
}

export function audioOf(events: PipelineEvent[], segmentIndex: number): Buffer {
  return Buffer.concat(
    ofType(events, 'audio')
      .filter((a) => a.segmentIndex === segmentIndex)
      .map((a) => a.data),
  );
}
