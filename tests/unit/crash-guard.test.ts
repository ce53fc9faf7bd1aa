import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = join(__dirname, '../fixtures/crash-guard-child.ts');

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the main-process crash guard', () => {
  it('without it, an exception from a library callback ends the process', () => {
    // The attack is real: the same child dies without the guard.
    const result = run();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("Cannot read properties of null (reading '1')");
    expect(result.stdout).not.toContain('still running');
  });

  it('with it, the exception and the rejection are logged and the process keeps running', () => {
    const result = run('--guard');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('error: ') && l.includes('Kiyo keeps running'))).toHaveLength(2);
    expect(result.stdout).toContain("Cannot read properties of null (reading '1')");
    expect(result.stdout).toContain('a socket closed while nobody was listening');
    expect(lines.at(-1)).toBe('still running');
  });
});
