import { describe, expect, it } from 'vitest';
import { ConversationHistory } from '../../src/main/pipeline/history';
import { createLogger, redact } from '../../src/main/pipeline/logger';

describe('ConversationHistory', () => {
  it('keeps only the newest messages, in whole exchanges', () => {
    const history = new ConversationHistory(4);
    for (let i = 0; i < 10; i++) history.addExchange(`q${i}`, `a${i}`);
    expect(history.snapshot().map((m) => m.content)).toEqual(['q8', 'a8', 'q9', 'a9']);
    history.setLimit(3);
    expect(history.snapshot().map((m) => m.content)).toEqual(['q9', 'a9']);
  });

  it('records nothing for an empty reply', () => {
    const history = new ConversationHistory(10);
    history.addExchange('hello?', '  ');
    expect(history.size).toBe(0);
  });
});

describe('logger', () => {
  it('never writes API keys', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (_l, line) => lines.push(line) });
    logger.addSecret('my-local-secret-key');
    logger.info('using key my-local-secret-key and sk-abcdefghijklmnop', {
      headers: { Authorization: 'Bearer abcdefghijkl' },
    });
    expect(lines[0]).not.toContain('my-local-secret-key');
    expect(lines[0]).not.toContain('sk-abcdefghijklmnop');
    expect(lines[0]).not.toContain('abcdefghijkl');
    expect(lines[0]).toContain('[redacted]');
  });

  it('respects the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (_l, line) => lines.push(line) });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
    expect(redact('x', [])).toBe('x');
  });
});
