import { describe, expect, it } from 'vitest';
import { describeSettingsErrors, llmSchema } from '../../src/shared/settings';
import { settingLabel } from '../../src/shared/settings-view';

const urlMessage = (baseUrl: string) => llmSchema.shape.baseUrl.safeParse(baseUrl).error?.issues[0]?.message;

describe("settings messages speak the form's words", () => {
  it('labels come from the key as Preferences shows them', () => {
    expect(settingLabel('segmentMaxChars')).toBe('Segment max');
    expect(settingLabel('firstSegmentBudgetMs')).toBe('First segment budget');
    expect(settingLabel('synthesisAhead')).toBe('Synthesis ahead');
  });

  it('a cross-field conflict names the fields by their labels, never their keys', () => {
    const errors = describeSettingsErrors({
      streaming: {
        segmentMinChars: 300,
        segmentMaxChars: 200,
        firstSegmentMinChars: 50,
        firstSegmentMaxChars: 20,
      },
    });
    expect(errors).toEqual([
      'streaming.firstSegmentMaxChars: "First segment max" must be at least "First segment min"',
      'streaming.segmentMaxChars: "Segment max" must be at least "Segment min"',
    ]);
    for (const error of errors) expect(error.replace(/^[\w.]+: /, '')).not.toMatch(/[a-z][A-Z]/);
  });

  it('a base URL without a scheme says to add one, with an example', () => {
    expect(urlMessage('localhost:11434/v1')).toBe(
      'Add http:// or https:// — for example http://localhost:11434/v1',
    );
    expect(urlMessage('api.openai.com/v1')).toBe(
      'Add http:// or https:// — for example http://localhost:11434/v1',
    );
    expect(urlMessage('ftp://example.com/v1')).toBe(
      'Use an http:// or https:// address — for example http://localhost:11434/v1',
    );
    expect(urlMessage('http://localhost:11434/v1')).toBeUndefined();
  });
});
