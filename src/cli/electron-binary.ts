/**
 * Finding, and on first use downloading, the Electron binary that runs Kiyo from a checkout.
 *
 * Electron 45 has no install script: its binary is downloaded lazily by `require('electron')` (or
 * `npx install-electron`) and recorded in node_modules/electron/path.txt. electron-vite only reads
 * that file and reports a missing one as "Electron uninstall", so Kiyo's start scripts resolve the
 * binary here, with Electron's own rules, and hand electron-vite the result (ELECTRON_EXEC_PATH).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface ElectronBinary {
  path: string;
  /** Why this binary: a folder the user chose, one already downloaded, or one downloaded just now. */
  source: 'ELECTRON_OVERRIDE_DIST_PATH' | 'installed' | 'downloaded';
}

/** The result of a resolution that could not produce a binary, with what to tell the user. */
export interface ElectronUnavailable {
  problem: string;
}

interface ElectronPackage {
  dir: string;
  version: string;
}

export function electronPackage(): ElectronPackage {
  const manifest = require.resolve('electron/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), version };
}

/**
 * The binary Electron's own `require('electron')` would return, without letting it download:
 * that download prints a stack trace when it fails, so it only runs through `downloadElectron`.
 * Undefined when nothing is installed yet.
 */
export function findElectronBinary(
  env: NodeJS.ProcessEnv = process.env,
): ElectronBinary | ElectronUnavailable | undefined {
  const { dir } = electronPackage();
  const pathFile = join(dir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    // Same rule as node_modules/electron/index.js: the folder plus path.txt's name, or "electron".
    const path = join(override, recorded || 'electron');
    if (existsSync(path)) return { path, source: 'ELECTRON_OVERRIDE_DIST_PATH' };
    return {
      problem: `ELECTRON_OVERRIDE_DIST_PATH is set to ${override}, but there is no Electron executable at ${path}.`,
    };
  }
  if (recorded && existsSync(join(dir, 'dist', recorded))) {
    return { path: require('electron') as string, source: 'installed' };
  }
  return undefined;
}

/**
 * Runs Electron's own installer (node_modules/electron/install.js, the `install-electron` command),
 * which downloads the binary for this platform, checks it against Electron's checksums and writes
 * path.txt. Its output is the user's to see (a progress bar on slow links); only stack frames are
 * suppressed, so a failure reads as one line such as "TypeError: fetch failed".
 */
function downloadElectron(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const installer = join(electronPackage().dir, 'install.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--stack-trace-limit=0', installer], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
    });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** What to tell a user whose Electron download failed: why it matters, then every way out. */
function downloadFailedMessage(version: string): string {
  return [
    `Could not download Electron ${version}, which Kiyo needs to start (see the error above).`,
    'Electron is downloaded once, on the first start; this machine could not reach the download',
    'server (no internet access, a firewall or a proxy).',
    '',
    'To fix it, either:',
    '  - download from a mirror you can reach:',
    '      ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
    '  - go through a proxy: ELECTRON_GET_USE_PROXY=1 HTTPS_PROXY=http://proxy:port npm start',
    `  - use an Electron ${version} you already have (the unzipped folder with the electron executable):`,
    '      ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-folder npm start',
    "  - reuse a download cache copied from another machine (Electron's cache folder, e.g. ~/.cache/electron):",
    '      electron_config_cache=/path/to/cache npm start',
    'Then start again, or download by hand first with: npx install-electron',
  ].join('\n');
}

/**
 * The binary to run: found, or downloaded now with a visible message. On failure, the message
 * says what went wrong and what to do; the caller prints it and stops.
 */
export async function ensureElectronBinary(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (line) => console.error(line),
): Promise<ElectronBinary | ElectronUnavailable> {
  const found = findElectronBinary(env);
  if (found) return found;
  const { version } = electronPackage();
  log(`Downloading Electron ${version} (first start only)…`);
  if (!(await downloadElectron(env))) return { problem: downloadFailedMessage(version) };
  const installed = findElectronBinary(env);
  if (installed && 'path' in installed) {
    log(`Electron ${version} is installed.`);
    return { path: installed.path, source: 'downloaded' };
  }
  return {
    problem: `Electron's installer finished but left no binary in ${electronPackage().dir}. Delete that folder, run npm install, then npm start.`,
  };
}
