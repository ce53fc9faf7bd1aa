import { mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK = resolve('node_modules/.kiyo-build-lock');

/**
 * Runs `work` while no other test file rebuilds or packs out/: vitest runs files in parallel, and
 * a build empties out/ while another file may be reading it. The lock is a directory (created
 * atomically) holding the owner's pid, so one left by a killed run is taken over.
 */
export async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  await acquire();
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

async function acquire(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!ownerAlive()) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    await released();
  }
}

function ownerAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    return true; // just created, the pid is being written
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the lock directory goes away (or after a second, to re-check a dead owner). */
function released(): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      watcher.close();
      clearTimeout(recheck);
      done();
    };
    const watcher = watch(resolve(LOCK, '..'), (_event, name) => {
      if (name === '.kiyo-build-lock') finish();
    });
    const recheck = setTimeout(finish, 1000);
  });
}
