/**
 * `npm start` and `npm run dev`: resolve the Electron binary (downloading it on the first start),
 * then
 *   start — build the app with electron-vite and run Electron on it;
 *   dev   — run electron-vite's dev server, which starts the same binary (ELECTRON_EXEC_PATH).
 * Arguments after `--` go to the app. The app's exit code is this command's exit code.
 *
 * KIYO_SKIP_BUILD=1 starts the existing build in out/ without rebuilding it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronBinary } from './electron-binary';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'out/main/index.js');
const ELECTRON_VITE = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');

const [mode, ...appArgs] = process.argv.slice(2);
if (mode !== 'start' && mode !== 'dev') {
  console.error('usage: tsx src/cli/start-electron.ts start|dev [-- app arguments]');
  process.exit(2);
}
const args = appArgs[0] === '--' ? appArgs.slice(1) : appArgs;

const electron = await ensureElectronBinary();
if ('problem' in electron) {
  console.error(electron.problem);
  process.exit(1);
}

if (mode === 'dev') {
  // electron-vite reads the binary from ELECTRON_EXEC_PATH before looking for path.txt.
  const env = { ...process.env, ELECTRON_EXEC_PATH: electron.path };
  exitWith(run(process.execPath, [ELECTRON_VITE, 'dev', '--', ...args], env));
} else {
  if (process.env.KIYO_SKIP_BUILD !== '1') {
    const built = await exitCode(run(process.execPath, [ELECTRON_VITE, 'build'], process.env));
    if (built !== 0) process.exit(built);
  }
  if (!existsSync(MAIN)) {
    console.error(
      `The app is not built (${MAIN} is missing): run npm run build, or npm start without KIYO_SKIP_BUILD.`,
    );
    process.exit(1);
  }
  // The project folder is the app: its package.json names out/main/index.js as the entry.
  exitWith(run(electron.path, [ROOT, ...args], process.env));
}

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, commandArgs, { cwd: ROOT, env, stdio: 'inherit' });
  // Ctrl+C reaches the whole process group; a plain kill of this process is passed on.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  return child;
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((done) => {
    child.on('error', (error) => {
      console.error(`Could not run ${child.spawnfile}: ${error.message}`);
      done(1);
    });
    // A child ended by a signal exits like a shell reports it: 128 + the signal's number.
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

async function exitWith(child: ChildProcess): Promise<never> {
  process.exit(await exitCode(child));
}
