import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEdgeTtsServer } from '../../src/fakes/fake-edge-tts-server';
import { speak } from '../../src/fakes/fake-speech';

/** `npm run say` as a user runs it, in its own process. */

const TSX = 'node_modules/.bin/tsx';
const SLOW = 90_000; // a TypeScript CLI started per test on a shared 2-core machine

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function say(args: string[], env: Record<string, string> = {}): Promise<Result> {
  // Only what the test gives: an ambient KIYO_* or API key must not change the run.
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(KIYO_|OPENAI_)/.test(name)),
  ) as NodeJS.ProcessEnv;
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/say.ts', ...args], { env: { ...clean, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let edge: FakeEdgeTtsServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiyo-say-'));
  edge = await FakeEdgeTtsServer.start({ ttfbMs: 0, realtimeFactor: 0 });
});
afterAll(async () => {
  await edge.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run say', () => {
  it(
    'a failed turn leaves the previous audio file as it was (no 0-byte file, no leftovers)',
    async () => {
      const out = join(dir, 'kept.mp3');
      writeFileSync(out, 'the previous reply');
      const settings = join(dir, 'unreachable-llm.json');
      writeFileSync(settings, JSON.stringify({ llm: { baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 } }));
      const result = await say(['Hello?', '--fake-tts', '--settings', settings, '--out', out]);
      // The fault happened: the LLM could not be reached and the turn failed.
      expect(result.stderr).toMatch(/^error \(llm-[a-z-]+\): /m);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`nothing written (${out} left as it was)`);
      expect(readFileSync(out, 'utf8')).toBe('the previous reply');
      expect(readdirSync(dir).filter((name) => name.includes('kept'))).toEqual(['kept.mp3']);
    },
    SLOW,
  );

  it(
    'speaks through KIYO_TTS_ENDPOINT; the fake LLM answers in the language of the message',
    async () => {
      const out = join(dir, 'zh.mp3');
      writeFileSync(out, 'the previous reply');
      const before = edge.requests.length;
      const result = await say(
        ['今天天气怎么样？', '--fake-llm', '--voice', 'zh-CN-XiaoxiaoNeural', '--out', out],
        {
          KIYO_TTS_ENDPOINT: edge.url,
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const requests = edge.requests.slice(before);
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.every((r) => r.voice === 'zh-CN-XiaoxiaoNeural')).toBe(true);
      expect(requests.map((r) => r.text).join('')).toMatch(/^[\p{Script=Han}，。！？、]+$/u);
      // The file holds exactly the speech of what was said, clause after clause, replacing the old one.
      const segments = [...result.stdout.matchAll(/^ {2}\[\d+(?::\w+)?\] (.+)$/gm)].map((m) => m[1]!);
      expect(result.stdout).toMatch(/^ {2}\[0:joy\] /m); // the fake reply is tagged; the tag is shown apart
      expect([...segments].sort()).toEqual(requests.map((r) => r.text).sort());
      const expected = await Promise.all(
        segments.map((text) => speak(text, { voice: 'zh-CN-XiaoxiaoNeural' })),
      );
      expect(readFileSync(out).equals(Buffer.concat(expected.map((a) => a.mp3)))).toBe(true);
    },
    SLOW,
  );

  it(
    'refuses contradictory flags with a plain message and exit code 2',
    async () => {
      const result = await say(['hi', '--fake', '--base-url', 'http://127.0.0.1:1/v1']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^--fake starts a local fake LLM, so it cannot be combined with --base-url/,
      );
      expect(result.stdout).toBe('');
    },
    SLOW,
  );
});
