import { useFakes } from '../helpers/use-fakes';
import { describe, expect, it, vi } from 'vitest';
import { FakeEdgeTtsServer } from '../../src/fakes/fake-edge-tts-server';
import { speak } from '../../src/fakes/fake-speech';
import { Conversation } from '../../src/main/pipeline/conversation';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { FallbackTtsEngine } from '../../src/main/pipeline/tts/fallback-tts-engine';
import { OfflineTtsEngine } from '../../src/main/pipeline/tts/offline-tts-engine';
import { parsePipelineSettings } from '../../src/shared/settings';
import {
  assertEventOrder,
  audioOf,
  collect,
  makeConversation,
  ofType,
  testLogger,
} from '../helpers/pipeline-fixture';
import { repeatedRequests, TTS_RETRY_LOG } from '../helpers/fault-evidence';

const fakes = useFakes();

function fallbackConversation(endpoint: string, probeEveryMs = 100, lines: string[] = []): Conversation {
  const settings = parsePipelineSettings({
    llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake', maxRetries: 0 },
    // Generous: the fake synthesises each new text on first use, slowly on a loaded machine.
    tts: { providers: { edge: { warmConnections: 1, timeoutMs: 5000 } } },
  });
  const logger = testLogger(lines);
  const tts = new FallbackTtsEngine(
    [
      { label: 'Edge voice', engine: new EdgeTtsEngine(settings.tts.providers.edge, logger, endpoint) },
      { label: 'offline voice', engine: new OfflineTtsEngine(settings.tts.providers.offline) },
    ],
    logger,
    probeEveryMs,
  );
  return new Conversation({ settings, logger, tts });
}

describe('a TTS socket that drops in the middle of a clause', () => {
  it('is resumed on a new socket after the audio already delivered: the clause is heard once, whole', async () => {
    fakes.llm.setReplies(['Here is a sentence that is long enough to be dropped halfway through.']);
    fakes.tts.faults.push('drop-mid-stream');
    const requests = fakes.tts.requests.length;
    const lines: string[] = [];
    // A generous timeout: the drop, not the fake being slow, must be what interrupts the clause.
    const conversation = makeConversation(
      fakes,
      { tts: { providers: { edge: { timeoutMs: 20_000 } } } },
      testLogger(lines),
    );
    const events = await collect(conversation.runTurn('go'));
    conversation.close();
    assertEventOrder(events);
    expect(ofType(events, 'error')).toEqual([]);
    const segments = ofType(events, 'segment');
    // The drop happened: the fake took the fault, the clause was asked for again, and the engine
    // resumed it after audio had already been delivered (not a retry before any audio).
    expect(fakes.tts.faults).toEqual([]);
    expect(repeatedRequests(fakes.tts, requests)).toEqual([segments[0]!.spokenText]);
    expect(lines.filter((l) => TTS_RETRY_LOG.test(l))).toEqual([
      expect.stringContaining('failed in the middle of a clause'),
    ]);
    for (const segment of segments) {
      expect(audioOf(events, segment.index).equals(Buffer.from((await speak(segment.spokenText)).mp3))).toBe(
        true,
      );
    }
  });
});

describe('offline voice fallback', () => {
  it('speaks with the built-in voice when Edge is unreachable, says so, and the turn completes', async () => {
    fakes.llm.setReplies(['Hello! The network is down, but I can still talk to you.']);
    const conversation = fallbackConversation('ws://127.0.0.1:9/edge', 60_000);
    const events = await collect(conversation.runTurn('hello?'));
    conversation.close();
    assertEventOrder(events);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'notice').map((n) => n.code)).toEqual(['tts-offline']);
    expect(ofType(events, 'notice')[0]!.message).toMatch(
      /^The Edge voice is not answering \(.*\); using the offline voice\.$/,
    );
    const audio = ofType(events, 'audio');
    expect(audio.length).toBeGreaterThan(0);
    expect(new Set(audio.map((a) => a.format.codec))).toEqual(new Set(['pcm']));
    // Real speech: a second or more of 24 kHz 16-bit samples, not silence.
    const pcm = Buffer.concat(audio.map((a) => a.data));
    expect(pcm.byteLength).toBeGreaterThan(48_000);
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
    expect(Math.max(...samples.slice(0, 48_000).map(Math.abs))).toBeGreaterThan(1000);
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('complete');
  });

  it('falls back for a clause that fails even after its retry, without an error', async () => {
    fakes.llm.setReplies(['This clause will not come through the socket at all, sadly.']);
    const conversation = fallbackConversation(fakes.tts.url, 60_000);
    fakes.tts.defaultFault = 'drop-mid-stream';
    const requests = fakes.tts.requests.length;
    const events = await collect(conversation.runTurn('hi'));
    fakes.tts.defaultFault = 'none';
    conversation.close();
    // Both attempts at the first clause reached the fake and were dropped.
    expect(repeatedRequests(fakes.tts, requests)).toContain(ofType(events, 'segment')[0]!.spokenText);
    assertEventOrder(events);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'notice').map((n) => n.code)).toContain('tts-offline');
    expect(ofType(events, 'audio').some((a) => a.format.codec === 'pcm')).toBe(true);
  });

  it('switches back to Edge when it answers again, and says so', async () => {
    const probe = await FakeEdgeTtsServer.start({ ttfbMs: 10, realtimeFactor: 0 });
    const url = probe.url;
    const port = Number(new URL(url).port);
    await probe.close();
    fakes.llm.setReplies(['First I speak offline, then online again. That is the plan!']);
    const lines: string[] = [];
    const conversation = fallbackConversation(url, 100, lines);
    const first = await collect(conversation.runTurn('one'));
    expect(ofType(first, 'notice').map((n) => n.code)).toEqual(['tts-offline']);

    const revived = await FakeEdgeTtsServer.start({ ttfbMs: 10, realtimeFactor: 0, port });
    try {
      // The background probe reaches the revived service and switches back.
      await vi.waitFor(
        () => expect(lines.some((l) => l.includes('The Edge voice answers again'))).toBe(true),
        {
          timeout: 5000,
        },
      );
      expect(revived.connections).toBeGreaterThan(0);
      const second = await collect(conversation.runTurn('two'));
      expect(ofType(second, 'error')).toEqual([]);
      expect(
        ofType(second, 'notice').map((n) => n.code),
        lines.join('\n'),
      ).toEqual(['tts-online']);
      expect(new Set(ofType(second, 'audio').map((a) => a.format.codec))).toEqual(new Set(['mp3']));
    } finally {
      conversation.close();
      await revived.close();
    }
  });
});
