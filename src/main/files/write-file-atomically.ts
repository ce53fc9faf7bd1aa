import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `data` all at once: written next to it under a temporary name, then
 * renamed over it, so a failure or an interruption half-way leaves the previous file as it was.
 */
export function writeFileAtomically(path: string, data: Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
