import { describe, expect, it } from 'vitest';
import { SecretRegistry, redactUrlCredentials } from '../../src/main/secrets/secret-registry';

describe('SecretRegistry', () => {
  it('hides registered keys, also split by a line break or JSON-escaped', () => {
    const secrets = new SecretRegistry();
    secrets.add('my-local-key-0001\nmy-local-key-0002');
    expect(secrets.redact('Headers.append: "Bearer my-local-key-0001\nmy-local-key-0002" is invalid')).toBe(
      'Headers.append: "Bearer [redacted]" is invalid',
    );
    expect(secrets.redact('{"auth":"my-local-key-0001\\nmy-local-key-0002"}')).toBe('{"auth":"[redacted]"}');
    expect(secrets.redact('only my-local-key-0002 was quoted')).toBe('only [redacted] was quoted');
    expect(secrets.leaks('nothing here')).toBe(false);
  });

  it('hides key-shaped strings and URL credentials without a registration, but leaves prose alone', () => {
    const secrets = new SecretRegistry();
    expect(secrets.redact('sent sk-abcdefghijklmnop and Bearer abcdefghijkl')).toBe(
      'sent [redacted] and Bearer [redacted]',
    );
    expect(redactUrlCredentials('at https://me:hunter22@api.example.com/v1 and ws://tok@h/x')).toBe(
      'at https://[redacted]@api.example.com/v1 and ws://[redacted]@h/x',
    );
    const prose = 'The bearer of good news said: mail me at kiyo@example.com, see https://example.com/a@b';
    expect(secrets.redact(prose)).toBe(prose);
  });

  it('redacts every string in an event, passes audio through, and returns the same object when clean', () => {
    const secrets = new SecretRegistry();
    secrets.add('sk-registered-000111');
    const audio = new Uint8Array([1, 2, 3]);
    const clean = { type: 'audio', data: audio, turnId: 't' };
    expect(secrets.redactDeep(clean)).toBe(clean);
    const dirty = {
      type: 'error',
      message: 'server said sk-registered-000111',
      nested: ['sk-registered-000111'],
      data: audio,
    };
    const out = secrets.redactDeep(dirty);
    expect(out).toEqual({
      type: 'error',
      message: 'server said [redacted]',
      nested: ['[redacted]'],
      data: audio,
    });
    expect(out.data).toBe(audio);
    expect(dirty.message).toContain('sk-registered'); // the original is not modified
  });
});
