import { describe, expect, it } from 'vitest';
import { cleanTranscript } from '../../src/main/pipeline/stt/openai-transcriber';
import { SAY_MAX_CHARS } from '../../src/shared/ipc';

describe('cleanTranscript: what a speech-to-text server says becomes one bounded line', () => {
  it('flattens line breaks, control and invisible characters, and trims', () => {
    expect(cleanTranscript('  Hello\n\tKiyo\u0000 how\u200b are\r\nyou? ')).toBe('Hello Kiyo how are you?');
    expect(cleanTranscript(' \n\u0007 ')).toBe('');
  });

  it('cuts a runaway transcript at a word, at most what a typed input may be', () => {
    const huge = 'word '.repeat(100_000);
    const cut = cleanTranscript(huge);
    expect(cut.length).toBeLessThanOrEqual(SAY_MAX_CHARS);
    expect(cut.length).toBeGreaterThan(SAY_MAX_CHARS - 10);
    expect(cut.endsWith('word')).toBe(true);
    expect(cleanTranscript('x'.repeat(SAY_MAX_CHARS + 50))).toHaveLength(SAY_MAX_CHARS);
  });
});
