/**
 * `npm start` / `npm run dev` resolve Electron with Electron's own rules and run it on the app.
 * No real Electron and no network: a stub executable stands in for the binary, and the download
 * path is pointed at a closed port.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronPackage, findElectronBinary } from '../../src/cli/electron-binary';
import { withBuildLock } from '../helpers/build-lock';
import { runCommand } from '../helpers/run-command';

const ROOT = resolve('.');
const MAIN = join(ROOT, 'out/main/index.js');
const LAUNCHER = join(ROOT, 'src/cli/start-electron.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

// Records how it was started, then exits with STUB_EXIT_CODE.
const STUB = `#!/bin/sh
{
  printf 'cwd=%s\\n' "$PWD"
  printf 'renderer=%s\\n' "$ELECTRON_RENDERER_URL"
  for arg in "$@"; do printf 'arg=%s\\n' "$arg"; done
} > "$(dirname "$0")/launched.txt"
exit "\${STUB_EXIT_CODE:-0}"
`;

let temp: string;
let stubDist: string;

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'kiyo-launch-'));
  stubDist = join(temp, 'electron-dist');
  mkdirSync(stubDist);
  writeFileSync(join(stubDist, 'electron'), STUB);
  chmodSync(join(stubDist, 'electron'), 0o755);
});

afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** This environment without anything that would steer Electron's resolution or the build. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(ELECTRON_|electron_|npm_config_electron|KIYO_SKIP_BUILD$|VITEST|NODE_ENV$)/.test(key))
      delete env[key];
  }
  return { ...env, ...extra };
}

interface Launch {
  cwd: string;
  renderer: string;
  args: string[];
}

function launched(): Launch | undefined {
  const file = join(stubDist, 'launched.txt');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const value = (prefix: string) =>
    lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  return { cwd: value('cwd=')[0]!, renderer: value('renderer=')[0]!, args: value('arg=') };
}

describe('with ELECTRON_OVERRIDE_DIST_PATH pointing at a binary', () => {
  it('npm run dev starts the dev server and runs that binary, passing the arguments on', async () => {
    rmSync(join(stubDist, 'launched.txt'), { force: true });
    const result = await withBuildLock(() =>
      runCommand('npm', ['run', 'dev', '--', '--kiyo-flag', 'two words'], {
        cwd: ROOT,
        env: cleanEnv({ ELECTRON_OVERRIDE_DIST_PATH: stubDist, STUB_EXIT_CODE: '0' }),
      }),
    );
    expect(result.output).not.toContain('Electron uninstall');
    const launch = launched();
    expect(launch, result.output).toBeDefined();
    expect(launch?.args).toEqual(['.', '--kiyo-flag', 'two words']);
    expect(launch?.cwd).toBe(ROOT);
    // Started by the dev server: the renderer comes from it, with hot reload.
    expect(launch?.renderer).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/?$/);
    expect(result.code).toBe(0);
  }, 180_000);

  it('npm start builds the app, then runs that binary on it with the arguments and returns its exit code', async () => {
    rmSync(join(stubDist, 'launched.txt'), { force: true });
    const result = await withBuildLock(async () => {
      // Without a build step, the launcher would stop here saying the app is not built.
      rmSync(MAIN, { force: true });
      return runCommand('npm', ['start', '--', '--kiyo-flag', 'two words'], {
        cwd: ROOT,
        env: cleanEnv({ ELECTRON_OVERRIDE_DIST_PATH: stubDist, STUB_EXIT_CODE: '7' }),
      });
    });
    expect(existsSync(MAIN), result.output).toBe(true);
    const launch = launched();
    expect(launch, result.output).toBeDefined();
    // The project folder is the app (its package.json names out/main/index.js).
    expect(launch?.args).toEqual([ROOT, '--kiyo-flag', 'two words']);
    expect(launch?.cwd).toBe(ROOT);
    expect(launch?.renderer).toBe('');
    expect(result.code).toBe(7);
    expect(result.output).not.toContain('Electron uninstall');
  }, 180_000);

  it('a folder without an Electron executable is named in a plain message', async () => {
    const empty = mkdtempSync(join(temp, 'empty-'));
    const result = await runCommand(TSX, [LAUNCHER, 'start'], {
      cwd: ROOT,
      env: cleanEnv({ ELECTRON_OVERRIDE_DIST_PATH: empty, KIYO_SKIP_BUILD: '1' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`ELECTRON_OVERRIDE_DIST_PATH is set to ${empty}`);
    expect(result.stderr).toContain(join(empty, 'electron'));
    expect(result.output).not.toMatch(/^\s+at /m);
  });
});

describe('with no Electron binary and no network', () => {
  const installed = findElectronBinary(cleanEnv({}));
  const skipReason = installed
    ? `Electron is installed on this machine (${'path' in installed ? installed.path : installed.problem}), so the first-start download cannot be exercised`
    : undefined;
  if (skipReason) console.warn(`skipped: ${skipReason}`);

  it.skipIf(skipReason)(
    'npm start tries the download, then says it failed and what to do, and exits non-zero',
    async () => {
      const { version } = electronPackage();
      const cache = mkdtempSync(join(temp, 'cache-'));
      const result = await runCommand('npm', ['start'], {
        cwd: ROOT,
        // Port 9 (discard) is closed: the download fails at once, as it does offline.
        env: cleanEnv({ ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache }),
      });
      // The fault happened: Electron's installer ran and its download failed.
      expect(result.stderr).toContain(`Downloading Electron ${version} (first start only)…`);
      expect(result.stderr).toContain('fetch failed');
      expect(findElectronBinary(cleanEnv({}))).toBeUndefined();

      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`Could not download Electron ${version}, which Kiyo needs to start`);
      for (const remedy of [
        'ELECTRON_MIRROR=',
        'ELECTRON_OVERRIDE_DIST_PATH=',
        'electron_config_cache=',
        'npx install-electron',
      ]) {
        expect(result.stderr).toContain(remedy);
      }
      expect(result.output).not.toContain('Electron uninstall');
      expect(result.output).not.toMatch(/^\s+at /m);
      // Nothing was built or started before the binary was there.
      expect(result.output).not.toContain('building');
    },
    60_000,
  );
});
