import { describe, expect, it } from 'vitest';
import { RecentProblems } from '../../src/main/preferences/recent-problems';
import { forUi } from '../../src/main/preferences/ui-events';
import type { ErrorCode, PipelineEvent } from '../../src/shared/pipeline-events';
import { ERROR_MESSAGES, NOTICE_MESSAGES, STREAM_STATUS } from '../../src/shared/plain-messages';

/** What a viewer or a user must never read in the overlay. */
const TECHNICAL =
  /ECONNREFUSED|127\.0\.0\.1|https?:\/\/(?!localhost:11434)|HTTP \d|\bcode\b|llm-|tts-|Error:/;

const CODES = Object.keys(ERROR_MESSAGES) as ErrorCode[];

describe('what main tells the windows about a problem', () => {
  it('an error event leaves main with the short sentence for its code; the detail goes to the problem list', () => {
    const problems = new RecentProblems();
    const event: PipelineEvent = {
      type: 'error',
      turnId: 'turn-1',
      code: 'llm-connection',
      message:
        'Could not reach the LLM server at http://127.0.0.1:9/v1 (connect ECONNREFUSED 127.0.0.1:9). Is it running?',
      retryable: true,
    };
    const shown = forUi(event, problems);
    expect(shown).toEqual({
      ...event,
      message: "The language model didn't answer — check Preferences → LLM.",
    });
    expect(event.message).toContain('ECONNREFUSED'); // the pipeline's own event is not changed
    const [problem] = problems.list();
    expect(problem).toMatchObject({
      message: "The language model didn't answer — check Preferences → LLM.",
      detail: expect.stringContaining(
        'llm-connection: Could not reach the LLM server at http://127.0.0.1:9/v1',
      ),
    });
    expect(problem!.detail).toContain('ECONNREFUSED');
    expect(typeof problem!.at).toBe('number');
  });

  it.each(CODES)('%s has a short sentence with nothing technical in it', (code) => {
    const message = ERROR_MESSAGES[code];
    expect(message.length).toBeLessThan(100);
    expect(message).not.toMatch(TECHNICAL);
    expect(STREAM_STATUS[code]).toBe('Kiyo is taking a short break.');
  });

  it('notices: the offline voice is a problem worth listing, the rest are not', () => {
    const problems = new RecentProblems();
    const offline = forUi(
      {
        type: 'notice',
        turnId: 't',
        code: 'tts-offline',
        message:
          'The Edge voice is not answering (connect ECONNREFUSED 127.0.0.1:9); using the offline voice.',
      },
      problems,
    );
    expect(offline).toMatchObject({ message: NOTICE_MESSAGES['tts-offline'] });
    const silent = forUi(
      {
        type: 'notice',
        turnId: 't',
        code: 'reply-unspeakable',
        message: 'The reply had nothing that can be spoken.',
      },
      problems,
    );
    expect(silent).toMatchObject({ message: "Kiyo's reply had nothing to say aloud." });
    expect(problems.list().map((p) => p.detail)).toEqual([expect.stringContaining('ECONNREFUSED')]);
    for (const message of Object.values(NOTICE_MESSAGES)) expect(message).not.toMatch(TECHNICAL);
    expect(STREAM_STATUS['reply-unspeakable']).toBeUndefined();
  });

  it('every other event passes as it is', () => {
    const problems = new RecentProblems();
    const text: PipelineEvent = { type: 'text', turnId: 't', delta: 'ECONNREFUSED is a word too' };
    expect(forUi(text, problems)).toBe(text);
    expect(problems.list()).toEqual([]);
  });
});

describe('RecentProblems', () => {
  it('keeps the newest entries, newest first, and tells listeners', () => {
    const problems = new RecentProblems({ keep: 3 });
    let changes = 0;
    problems.onChange(() => changes++);
    for (let i = 1; i <= 5; i++) problems.record(`problem ${i}`, `detail ${i}`, i);
    expect(problems.list().map((p) => p.message)).toEqual(['problem 5', 'problem 4', 'problem 3']);
    expect(changes).toBe(5);
  });

  it('passes every entry through one redaction step (key-shaped strings without a caller redaction)', () => {
    const plain = new RecentProblems();
    plain.record('The language model refused the API key', 'HTTP 401 for key sk-abcdefghijklmnop1234');
    expect(plain.list()[0]!.detail).toBe('HTTP 401 for key [redacted]');

    const custom = new RecentProblems({ redact: (text) => text.replaceAll('hunter2', '[redacted]') });
    custom.record('short hunter2', 'detail hunter2');
    expect(custom.list()[0]).toMatchObject({ message: 'short [redacted]', detail: 'detail [redacted]' });
  });
});
