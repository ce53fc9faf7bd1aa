/**
 * The installed app: `npm run dist` builds the Linux unpacked app from a stub Electron (no
 * download), and its app.asar holds everything the app loads at run time, with what must be real
 * files unpacked next to it, and the packaged binary's fuses flipped.
 */
import { extractAll, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUSE_OFF,
  FUSE_ON,
  STUB_DEFAULT_FUSES,
  writeStubElectronDist,
} from '../../scripts/stub-electron-dist';
import { withBuildLock } from '../helpers/build-lock';
import { runCommand, type CommandResult } from '../helpers/run-command';

const ROOT = resolve('.');
/** The avatar the overlay shows by default, as the renderer names it (its module needs a browser). */
const DEFAULT_MODEL_URL = /DEFAULT_MODEL_URL = '([^']+)'/.exec(
  readFileSync('src/renderer/src/avatar/live2d-avatar.ts', 'utf8'),
)![1]!;

let temp: string;
let appOutDir: string;
let asarPath: string;
/** app.asar extracted (unpacked files included), to read and run what it holds. */
let extracted: string;
let asarFiles: Set<string>;
let dist: CommandResult;

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(ELECTRON_|electron_|VITEST|NODE_ENV$)/.test(key)) delete env[key];
  }
  return env;
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'kiyo-packaging-'));
  const stub = join(temp, 'electron-stub');
  const stubBinary = writeStubElectronDist(stub);
  // The stub starts with Electron's default fuses, so a flip is visible afterwards.
  const before = await getCurrentFuseWire(stubBinary);
  expect(before[FuseV1Options.RunAsNode]).toBe(FUSE_ON);
  expect(before[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FUSE_OFF);

  const release = join(temp, 'release');
  dist = await withBuildLock(() =>
    runCommand(
      'npm',
      [
        'run',
        'dist',
        '--',
        '--linux',
        'dir',
        '--x64',
        `-c.electronDist=${stub}`,
        `-c.directories.output=${release}`,
      ],
      { cwd: ROOT, env: cleanEnv() },
    ),
  );
  expect(dist.code, dist.output).toBe(0);
  appOutDir = join(release, 'linux-unpacked');
  asarPath = join(appOutDir, 'resources/app.asar');
  asarFiles = new Set(listPackage(asarPath, { isPack: false }).map((file) => file.slice(1)));
  extracted = join(temp, 'app');
  extractAll(asarPath, extracted);
}, 600_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

const inAsar = (file: string) => asarFiles.has(file);
const read = (file: string) => readFileSync(join(extracted, file), 'utf8');

describe('npm run dist (Linux, unpacked, stub Electron)', () => {
  it('names the executable kiyo and flips the fuses in it', async () => {
    const binary = join(appOutDir, 'kiyo');
    expect(existsSync(binary), dist.output).toBe(true);
    expect(dist.output).toContain('executing @electron/fuses');
    const wire = await getCurrentFuseWire(binary);
    const expected = [...STUB_DEFAULT_FUSES];
    expected[FuseV1Options.RunAsNode] = FUSE_OFF;
    expected[FuseV1Options.EnableCookieEncryption] = FUSE_ON;
    expected[FuseV1Options.EnableNodeOptionsEnvironmentVariable] = FUSE_OFF;
    expected[FuseV1Options.EnableNodeCliInspectArguments] = FUSE_OFF;
    expected[FuseV1Options.EnableEmbeddedAsarIntegrityValidation] = FUSE_ON;
    expected[FuseV1Options.OnlyLoadAppFromAsar] = FUSE_ON;
    expect(expected.map((_, i) => wire[i as FuseV1Options])).toEqual(expected);
  });

  it('app.asar holds main, the preload and both pages with every file they load', () => {
    const manifest = JSON.parse(read('package.json')) as { main: string };
    expect(manifest.main).toBe('./out/main/index.js');
    for (const file of ['out/main/index.js', 'out/preload/index.cjs']) expect(inAsar(file), file).toBe(true);
    for (const page of ['index.html', 'preferences.html']) {
      const html = `out/renderer/${page}`;
      expect(inAsar(html), html).toBe(true);
      const refs = [...read(html).matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `out/renderer/${m[1]}`);
      expect(refs.length, page).toBeGreaterThan(0);
      // Chunks the entry scripts import in turn.
      for (const script of refs.filter((ref) => ref.endsWith('.js') && ref.includes('/assets/'))) {
        for (const m of read(script).matchAll(/["']\.\/([\w.-]+\.(?:js|css))["']/g))
          refs.push(`out/renderer/assets/${m[1]}`);
      }
      for (const ref of refs) expect(inAsar(ref), `${page} loads ${ref}`).toBe(true);
    }
  });

  it('app.asar holds both Cubism cores and the default model with every file the model names', () => {
    for (const core of ['live2dcubism2core.min.js', 'live2dcubism4core.min.js']) {
      expect(inAsar(`out/renderer/live2d/${core}`), core).toBe(true);
    }
    const modelJson = `out/renderer/${DEFAULT_MODEL_URL}`;
    expect(inAsar(modelJson), modelJson).toBe(true);
    const model = JSON.parse(read(modelJson)) as {
      model: string;
      textures: string[];
      physics?: string;
      pose?: string;
      expressions?: { file: string }[];
      motions?: Record<string, { file: string; sound?: string }[]>;
    };
    const named = [
      model.model,
      ...model.textures,
      model.physics,
      model.pose,
      ...(model.expressions ?? []).map((e) => e.file),
      ...Object.values(model.motions ?? {}).flatMap((list) => list.flatMap((m) => [m.file, m.sound])),
    ].filter((file): file is string => !!file);
    expect(named.length).toBeGreaterThan(10);
    const folder = modelJson.slice(0, modelJson.lastIndexOf('/') + 1);
    for (const file of named) expect(inAsar(folder + file), file).toBe(true);
  });

  it("main's run-time packages are production dependencies, and load from the packaged tree", async () => {
    const main = read('out/main/index.js');
    const specifiers = new Set(
      [...main.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\w*\(\s*)"([^"./][^"]*)"/g)].map(
        (m) => m[1]!,
      ),
    );
    const builtins = new Set(builtinModules);
    const packages = [...specifiers].filter(
      (spec) => spec !== 'electron' && !spec.startsWith('node:') && !builtins.has(spec),
    );
    // The scan found main's imports (text2wav is the espeak-ng worker's, checked with it below).
    expect(packages).toEqual(expect.arrayContaining(['openai', 'msedge-tts', 'ws', 'zod']));

    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const packageName = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    for (const spec of packages) expect(manifest.dependencies, spec).toHaveProperty(packageName(spec));

    // Import each one the way main does, from main's folder in the extracted app, with a stand-in
    // for the electron module (it exists only inside Electron).
    const probe = join(extracted, 'out/main/kiyo-probe.mjs');
    writeFileSync(
      probe,
      `import { register } from 'node:module';
const hooks = \`export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: 'data:text/javascript,export default {}', shortCircuit: true };
  return next(specifier, context);
}\`;
register('data:text/javascript,' + encodeURIComponent(hooks));
const loaded = {};
for (const spec of ${JSON.stringify(packages)}) {
  await import(spec);
  loaded[spec] = import.meta.resolve(spec);
}
console.log(JSON.stringify(loaded));
`,
    );
    const run = await runCommand(process.execPath, [probe], { env: cleanEnv() });
    expect(run.code, run.output).toBe(0);
    const loaded = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, string>;
    expect(Object.keys(loaded).sort()).toEqual([...packages].sort());
    // Resolved inside the packaged app, not from some node_modules further up.
    for (const url of Object.values(loaded))
      expect(url).toContain(`file://${join(extracted, 'node_modules')}/`);
  });

  it("the offline voice's wasm and voice data are unpacked as real files, and speak from there", async () => {
    for (const file of [
      'node_modules/text2wav/lib/espeak-ng.wasm',
      'node_modules/text2wav/lib/espeak-ng.js',
    ]) {
      expect(statFile(asarPath, file), file).toHaveProperty('unpacked', true);
    }
    const unpacked = join(appOutDir, 'resources/app.asar.unpacked/node_modules/text2wav');
    expect(statSync(join(unpacked, 'lib/espeak-ng.wasm')).size).toBeGreaterThan(100_000);
    expect(statSync(join(unpacked, 'espeak-ng-data')).isDirectory()).toBe(true);
    const speak = `const text2wav = require(${JSON.stringify(unpacked)});
text2wav(' hello', { voice: 'en-us' }).then((wav) => {
  process.stdout.write(Buffer.from(wav.slice(0, 4)).toString('latin1') + ' ' + wav.length + '\\n');
  process.exit(0);
});`;
    const run = await runCommand(process.execPath, ['-e', speak], { env: cleanEnv() });
    expect(run.code, run.output).toBe(0);
    const [magic, length] = run.stdout.trim().split('\n').pop()!.split(' ');
    expect(magic).toBe('RIFF');
    expect(Number(length)).toBeGreaterThan(10_000);
  });

  it("main's espeak-ng worker is packed next to it, unpacked, and speaks from there", async () => {
    // Main starts the worker by a path relative to its own file; that file is in the archive.
    const referenced = [
      ...read('out/main/index.js').matchAll(/new URL\("\.\/([\w.-]+)", import\.meta\.url\)/g),
    ];
    expect(referenced.map((m) => m[1]).sort()).toEqual(['espeak-worker.mjs', 'global-key-hook-worker.mjs']);
    const worker = 'out/main/espeak-worker.mjs';
    expect(inAsar(worker), worker).toBe(true);
    expect(statFile(asarPath, worker), worker).toHaveProperty('unpacked', true);
    // Its one package is a production dependency.
    expect(read(worker)).toContain("require('text2wav')");
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies).toHaveProperty('text2wav');
    // Started the way espeak-wasm.ts starts it, from the unpacked file with plain Node: it finds
    // text2wav (unpacked too) beside it and answers one request with a WAV.
    const unpacked = join(appOutDir, 'resources/app.asar.unpacked', worker);
    const speak = `const { Worker } = require('node:worker_threads');
const worker = new Worker(${JSON.stringify(unpacked)});
worker.on('error', (error) => { console.error(error); process.exit(1); });
worker.on('message', ({ wav, error }) => {
  if (error) { console.error(error); process.exit(1); }
  process.stdout.write(Buffer.from(wav.slice(0, 4)).toString('latin1') + ' ' + wav.length + '\\n');
  process.exit(0);
});
worker.postMessage({ id: 1, text: ' hello', options: { voice: 'en-us' } });`;
    const run = await runCommand(process.execPath, ['-e', speak], { env: cleanEnv() });
    expect(run.code, run.output).toBe(0);
    const [magic, length] = run.stdout.trim().split('\n').pop()!.split(' ');
    expect(magic).toBe('RIFF');
    expect(Number(length)).toBeGreaterThan(10_000);
  });

  it("hold-to-talk's key hook worker and uiohook-napi's prebuilds are unpacked, and the native module loads from there", async () => {
    const worker = 'out/main/global-key-hook-worker.mjs';
    expect(statFile(asarPath, worker), worker).toHaveProperty('unpacked', true);
    const prebuild = 'node_modules/uiohook-napi/prebuilds/linux-x64/uiohook-napi.node';
    expect(statFile(asarPath, prebuild), prebuild).toHaveProperty('unpacked', true);
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies).toHaveProperty('uiohook-napi');
    // Resolved the way the worker resolves it (from its own unpacked file), and loaded: the native
    // module loads without a display; only starting the hook needs one.
    const unpacked = join(appOutDir, 'resources/app.asar.unpacked', worker);
    const probe = `const { createRequire } = require('node:module');
const req = createRequire(${JSON.stringify(unpacked)});
const { uIOhook } = req('uiohook-napi');
console.log(req.resolve('uiohook-napi') + ' ' + typeof uIOhook.start);`;
    const run = await runCommand(process.execPath, ['-e', probe], { env: cleanEnv() });
    // No exit-code check: on a machine without an X display, libuiohook's X11 clean-up at exit
    // prints "Couldn't find per display information" and exits 1 after the module loaded fine
    // (the app's worker is killed instead of exiting, and main never loads the module).
    expect(run.stdout, run.output).toContain(' function');
    const [resolved, start] = run.stdout.trim().split('\n').pop()!.split(' ');
    expect(resolved).toBe(
      join(appOutDir, 'resources/app.asar.unpacked/node_modules/uiohook-napi/dist/index.js'),
    );
    expect(start).toBe('function');
  });

  it('the preload requires only what a sandboxed preload may', () => {
    const required = [...read('out/preload/index.cjs').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required).toContain('electron');
    expect(required.filter((name) => !['electron', 'events', 'timers', 'url'].includes(name!))).toEqual([]);
  });

  it('leaves out renderer-only packages, Electron and the build tools', () => {
    for (const name of [
      'react',
      'react-dom',
      'pixi.js',
      'pixi-live2d-display',
      'mpg123-decoder',
      'electron',
      'vite',
    ]) {
      expect(inAsar(`node_modules/${name}/package.json`), name).toBe(false);
    }
  });
});
