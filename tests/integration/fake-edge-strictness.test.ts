import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { MsEdgeTTS, OUTPUT_FORMAT } from 'msedge-tts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { secMsGec, TRUSTED_CLIENT_TOKEN } from '../../src/fakes/edge-client-check';
import { FakeEdgeTtsServer } from '../../src/fakes/fake-edge-tts-server';
import { fetchEdgeVoices } from '../../src/main/pipeline/tts/edge-voices';

/**
 * The fake Edge server is as strict as the service: each rule turns away a client that breaks it,
 * and the real client (msedge-tts, as the engine uses it) still gets through.
 */

let edge: FakeEdgeTtsServer;
beforeAll(async () => {
  edge = await FakeEdgeTtsServer.start({ ttfbMs: 0, realtimeFactor: 0, framesPerMessage: 2 });
});
afterAll(async () => {
  await edge.close();
});

const VERSION = '1-143.0.3650.96';

function synthesisUrl(query: Record<string, string | undefined>): string {
  const url = new URL(edge.url);
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

const validQuery = () => ({
  TrustedClientToken: TRUSTED_CLIENT_TOKEN,
  'Sec-MS-GEC': secMsGec(Date.now()),
  'Sec-MS-GEC-Version': VERSION,
  ConnectionId: randomUUID().replaceAll('-', ''),
});

/** Opens a socket; resolves with it, or with the HTTP status of a refused upgrade. */
function connect(url: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res: IncomingMessage) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('the upgrade is refused with HTTP 403 without the query the service requires', () => {
  const HOUR = 3_600_000;
  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    ['no TrustedClientToken', { TrustedClientToken: undefined }, /missing TrustedClientToken/],
    ['another TrustedClientToken', { TrustedClientToken: '0'.repeat(32) }, /unknown TrustedClientToken/],
    ['no Sec-MS-GEC', { 'Sec-MS-GEC': undefined }, /missing Sec-MS-GEC$/],
    ['a Sec-MS-GEC an hour old', { 'Sec-MS-GEC': secMsGec(Date.now() - HOUR) }, /expired Sec-MS-GEC/],
    ['no Sec-MS-GEC-Version', { 'Sec-MS-GEC-Version': undefined }, /missing Sec-MS-GEC-Version/],
    ['a malformed Sec-MS-GEC-Version', { 'Sec-MS-GEC-Version': 'latest' }, /malformed Sec-MS-GEC-Version/],
  ];

  it.each(cases)('%s', async (_name, change, reason) => {
    const refusals = edge.refusals.length;
    const connections = edge.connections;
    expect(await connect(synthesisUrl({ ...validQuery(), ...change }))).toBe(403);
    expect(edge.refusals.slice(refusals)).toEqual([
      { stage: 'upgrade', reason: expect.stringMatching(reason) },
    ]);
    expect(edge.connections).toBe(connections);
  });

  it('while the same query with all three accepted opens the socket', async () => {
    const refusals = edge.refusals.length;
    const socket = await connect(synthesisUrl(validQuery()));
    expect(socket).toBeInstanceOf(WebSocket);
    (socket as WebSocket).close();
    expect(edge.refusals.length).toBe(refusals);
  });

  it('the voice list, too, answers only with the token', async () => {
    await expect(
      fetchEdgeVoices(edge.voicesUrl.replace(/trustedclienttoken=\w+/, 'trustedclienttoken=x')),
    ).rejects.toThrow(/403/);
    expect((await fetchEdgeVoices(edge.voicesUrl)).map((v) => v.shortName)).toContain('en-US-AnaNeural');
  });
});

interface Received {
  path: string;
  requestId: string;
  binary: boolean;
  contentType?: string;
  bodyBytes: number;
  body: string;
}

function headersOf(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return headers;
}

function parse(data: Buffer, binary: boolean): Received {
  if (binary) {
    const length = data.readUInt16BE(0);
    const headers = headersOf(data.subarray(2, 2 + length).toString());
    const body = data.subarray(2 + length);
    return {
      path: headers.Path!,
      requestId: headers['X-RequestId']!,
      binary,
      contentType: headers['Content-Type'],
      bodyBytes: body.length,
      body: '',
    };
  }
  const text = data.toString();
  const split = text.indexOf('\r\n\r\n');
  const headers = headersOf(text.slice(0, split));
  const body = text.slice(split + 4);
  return {
    path: headers.Path!,
    requestId: headers['X-RequestId']!,
    binary,
    contentType: headers['Content-Type'],
    bodyBytes: body.length,
    body,
  };
}

/** A hand-written client: one ssml request, every message until turn.end or the socket closes. */
async function request(
  voice: string,
  text: string,
  wordBoundaryEnabled = true,
): Promise<{ messages: Received[]; close?: { code: number; reason: string } }> {
  const socket = (await connect(synthesisUrl(validQuery()))) as WebSocket;
  const messages: Received[] = [];
  const requestId = randomUUID().replaceAll('-', '');
  const config = {
    context: {
      synthesis: {
        audio: {
          metadataoptions: {
            sentenceBoundaryEnabled: 'false',
            wordBoundaryEnabled: String(wordBoundaryEnabled),
          },
          outputFormat: 'audio-24khz-48kbitrate-mono-mp3',
        },
      },
    },
  };
  socket.send(
    `Content-Type:application/json; charset=utf-8\r\nPath:speech.config\r\n\r\n${JSON.stringify(config)}`,
  );
  socket.send(
    `X-RequestId:${requestId}\r\nContent-Type:application/ssml+xml\r\nPath:ssml\r\n\r\n` +
      `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">` +
      `<voice name="${voice}"><prosody rate="+0%">${text}</prosody></voice></speak>`,
  );
  return new Promise((resolve) => {
    socket.on('message', (data: Buffer, binary) => {
      const message = parse(data, binary);
      messages.push(message);
      if (message.path === 'turn.end') {
        socket.close();
        resolve({ messages });
      }
    });
    socket.on('close', (code, reason) => resolve({ messages, close: { code, reason: reason.toString() } }));
  });
}

describe('an ssml request', () => {
  it('sends word boundaries only when speech.config asked for them', async () => {
    const asked = await request('en-US-AnaNeural', 'Three little words.', true);
    expect(asked.messages.filter((m) => m.path === 'audio.metadata').length).toBe(4); // 3 words + end
    const { messages, close } = await request('en-US-AnaNeural', 'Three little words.', false);
    expect(close).toBeUndefined();
    expect(messages.some((m) => m.path === 'audio' && m.bodyBytes > 0)).toBe(true);
    expect(messages.filter((m) => m.path === 'audio.metadata')).toEqual([]);
  });

  it('times Chinese and Japanese word by word, without spaces to split on', async () => {
    const { messages } = await request('ja-JP-NanamiNeural', '今日はとても良い天気ですね。');
    const words = messages
      .filter((m) => m.path === 'audio.metadata')
      .flatMap((m) => JSON.parse(m.body).Metadata as { Type: string; Data: { text?: { Text: string } } }[])
      .filter((i) => i.Type === 'WordBoundary')
      .map((i) => i.Data.text!.Text);
    expect(words.length).toBeGreaterThan(3);
    expect(words.join('')).toBe('今日はとても良い天気ですね');
  });

  it('naming a voice the service does not have gets no audio: the socket is closed with 1007', async () => {
    const refusals = edge.refusals.length;
    const { messages, close } = await request('en-US-NobodyNeural', 'Hello there.');
    expect(edge.refusals.slice(refusals)).toEqual([
      { stage: 'ssml', reason: 'Unsupported voice en-US-NobodyNeural' },
    ]);
    expect(messages).toEqual([]);
    expect(close).toEqual({ code: 1007, reason: 'Unsupported voice en-US-NobodyNeural' });
  });

  it('is answered turn.start, response, audio with one word boundary per word in between, turn.end', async () => {
    const text = 'One two three four five six seven eight nine ten eleven twelve.';
    const { messages, close } = await request('en-US-AnaNeural', text);
    expect(close).toBeUndefined();
    const id = messages[0]!.requestId;
    expect(messages.every((m) => m.requestId === id)).toBe(true);
    expect(messages.slice(0, 2).map((m) => m.path)).toEqual(['turn.start', 'response']);
    expect(JSON.parse(messages[1]!.body).audio.streamId).toMatch(/\w+/);
    expect(messages.at(-1)!.path).toBe('turn.end');

    const kinds = messages.map((m) => (m.path === 'audio' ? 'A' : m.path === 'audio.metadata' ? 'M' : '-'));
    const metadata = messages
      .filter((m) => m.path === 'audio.metadata')
      .map((m) => JSON.parse(m.body).Metadata as { Type: string; Data: { text: { Text: string } } }[]);
    // The session's end is the last item, as the service sends it (clients must skip other types).
    expect(metadata.at(-1)).toEqual([{ Type: 'SessionEnd', Data: { Offset: expect.any(Number) } }]);
    const boundaries = metadata.slice(0, -1);
    // One word per message, every word once, in order; punctuation has no boundary.
    expect(boundaries.every((b) => b.length === 1 && b[0]!.Type === 'WordBoundary')).toBe(true);
    expect(boundaries.map((b) => b[0]!.Data.text.Text)).toEqual(text.replace('.', '').split(' '));
    // Interleaved: word boundaries keep arriving after audio has started.
    const firstAudio = kinds.indexOf('A');
    expect(firstAudio).toBeGreaterThan(0);
    expect(kinds.lastIndexOf('M')).toBeGreaterThan(firstAudio);

    // The last audio frame is the service's end marker: no Content-Type, no payload.
    const audio = messages.filter((m) => m.path === 'audio');
    expect(audio.every((m) => m.binary)).toBe(true);
    expect(audio.at(-1)).toMatchObject({ contentType: undefined, bodyBytes: 0 });
    expect(audio.slice(0, -1).every((m) => m.contentType === 'audio/mpeg' && m.bodyBytes > 0)).toBe(true);
  });
});

describe('the real client (msedge-tts, as the engine uses it)', () => {
  async function speakWith(voice: string, text: string): Promise<{ audio: Buffer; metadata: string[] }> {
    // msedge-tts reads its endpoint from a static field, as the engine sets it.
    (MsEdgeTTS as unknown as { WSS_URL: string }).WSS_URL = edge.url;
    const client = new MsEdgeTTS();
    try {
      await client.setMetadata(voice, OUTPUT_FORMAT.AUDIO_24KHZ_48KBITRATE_MONO_MP3, {
        wordBoundaryEnabled: true,
      });
      const { audioStream, metadataStream } = client.toStream(text);
      const metadata: string[] = [];
      metadataStream?.on('data', (chunk: Buffer) => metadata.push(chunk.toString()));
      const chunks: Buffer[] = [];
      for await (const chunk of audioStream) chunks.push(chunk as Buffer);
      return { audio: Buffer.concat(chunks), metadata };
    } finally {
      client.close();
    }
  }

  it('is accepted and gets the whole clause with its word boundaries', async () => {
    const connections = edge.connections;
    const { audio, metadata } = await speakWith('en-GB-SoniaNeural', 'Good morning to you.');
    expect(edge.connections).toBe(connections + 1);
    expect(audio.length).toBeGreaterThan(1000);
    const items = metadata.flatMap(
      (m) => JSON.parse(m).Metadata as { Type: string; Data: { text?: { Text: string } } }[],
    );
    expect(items.filter((i) => i.Type === 'WordBoundary').map((i) => i.Data.text!.Text)).toEqual([
      'Good',
      'morning',
      'to',
      'you',
    ]);
  });

  it('with an unknown voice: the stream fails (no turn.end), it does not end as if complete', async () => {
    const refusals = edge.refusals.length;
    await expect(speakWith('en-US-NobodyNeural', 'Hello there.')).rejects.toThrow(/no turn.end/);
    expect(edge.refusals.slice(refusals)).toEqual([
      { stage: 'ssml', reason: 'Unsupported voice en-US-NobodyNeural' },
    ]);
  });
});
