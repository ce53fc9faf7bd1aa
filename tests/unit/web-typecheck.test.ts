import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/run-command';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

describe('the renderer typecheck (tsconfig.web.json)', () => {
  it('refuses Node modules and globals but accepts the DOM', async () => {
    // tests/typecheck/tsconfig.json extends tsconfig.web.json and holds two small files: one
    // importing node:fs and using Buffer, one using document and window.
    const result = await runCommand(process.execPath, [tsc, '-p', 'tests/typecheck/tsconfig.json'], {
      cwd: root,
    });
    const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(result.code).not.toBe(0);
    expect(errors.some((line) => /renderer-imports-node\.ts.*'node:fs'/.test(line))).toBe(true);
    expect(errors.some((line) => /renderer-imports-node\.ts.*'Buffer'/.test(line))).toBe(true);
    // Nothing else failed: the DOM file is fine, so the errors above come from the missing Node.
    expect(errors.filter((line) => !line.startsWith('tests/typecheck/renderer-imports-node.ts'))).toEqual([]);
  }, 60_000);
});
