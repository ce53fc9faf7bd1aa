import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyEvent } from '../../src/main/shell/global-key-hook';
import { watchKey } from '../../src/main/shell/global-key-hook';
import {
  keyBindingOf,
  MODIFIER_KEYCODES,
  watchedKeycodes,
  type KeyBinding,
} from '../../src/main/shell/global-key-hook-keys';
import {
  hookWorkerPath,
  processKeySource,
  type HookProcess,
} from '../../src/main/shell/global-key-hook-process';
import { fakeKeySource } from '../helpers/fake-key-source';

const binding = (accelerator: string, platform: NodeJS.Platform = 'linux'): KeyBinding => {
  const result = keyBindingOf(accelerator, platform);
  if (!result.ok) throw new Error(result.problem);
  return result.binding;
};

const Y = 0x15;
const CTRL_SHIFT = { ctrl: true, shift: true };

describe('keyBindingOf: Electron accelerators to libuiohook key codes', () => {
  // The package's own table, to check ours against (loading it loads the native module, which is
  // fine; only starting the hook needs a display).
  const { UiohookKey } = createRequire(import.meta.url)('uiohook-napi') as {
    UiohookKey: Record<string, number>;
  };

  it('maps letters, digits, F1–F24, Space and named keys to the codes uiohook-napi reports', () => {
    for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
      expect(binding(`Ctrl+${letter}`).keycode, letter).toBe(UiohookKey[letter]);
    for (const digit of '0123456789') expect(binding(`Alt+${digit}`).keycode, digit).toBe(UiohookKey[digit]);
    for (let f = 1; f <= 24; f++) expect(binding(`F${f}`).keycode, `F${f}`).toBe(UiohookKey[`F${f}`]);
    const named: Record<string, string> = {
      Space: 'Space',
      Tab: 'Tab',
      Enter: 'Enter',
      Backspace: 'Backspace',
      Esc: 'Escape',
      Capslock: 'CapsLock',
      Scrolllock: 'ScrollLock',
      PrintScreen: 'PrintScreen',
      Insert: 'Insert',
      Delete: 'Delete',
      Home: 'Home',
      End: 'End',
      PageUp: 'PageUp',
      PageDown: 'PageDown',
      Up: 'ArrowUp',
      Down: 'ArrowDown',
      Left: 'ArrowLeft',
      Right: 'ArrowRight',
      num0: 'Numpad0',
      num7: 'Numpad7',
      numadd: 'NumpadAdd',
      numdiv: 'NumpadDivide',
      ';': 'Semicolon',
      '`': 'Backquote',
      '\\': 'Backslash',
    };
    for (const [accelerator, key] of Object.entries(named))
      expect(binding(`Ctrl+${accelerator}`).keycode, accelerator).toBe(UiohookKey[key]);
    expect(MODIFIER_KEYCODES).toEqual({
      ctrl: [UiohookKey.Ctrl, UiohookKey.CtrlRight],
      alt: [UiohookKey.Alt, UiohookKey.AltRight],
      shift: [UiohookKey.Shift, UiohookKey.ShiftRight],
      meta: [UiohookKey.Meta, UiohookKey.MetaRight],
    });
  });

  it('reads the modifiers, CommandOrControl as Ctrl (Cmd on macOS), case-insensitively', () => {
    expect(binding('CommandOrControl+Shift+Y')).toEqual({
      keycode: Y,
      ctrl: true,
      alt: false,
      shift: true,
      meta: false,
      accelerator: 'CommandOrControl+Shift+Y',
    });
    expect(binding('CmdOrCtrl+Shift+Y', 'darwin')).toMatchObject({ ctrl: false, meta: true, shift: true });
    expect(binding('super+option+f13')).toMatchObject({ meta: true, alt: true, ctrl: false, keycode: 0x5b });
    expect(binding('F13')).toMatchObject({ ctrl: false, alt: false, shift: false, meta: false });
  });

  it('refuses keys it cannot watch for their release, with the reason in plain words', () => {
    for (const accelerator of [
      'Ctrl+VolumeUp',
      'Ctrl+MediaPlayPause',
      'Ctrl+Plus',
      'AltGr+Y',
      'Ctrl+',
      'F25',
      '',
    ]) {
      const result = keyBindingOf(accelerator, 'linux');
      expect(result.ok, accelerator).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(/cannot be watched for its release/);
    }
  });

  it('watches the key and every modifier (a released modifier ends the hold), nothing else', () => {
    const codes = watchedKeycodes(binding('Ctrl+Shift+Y'));
    expect(codes).toContain(Y);
    expect(codes).toHaveLength(9);
    expect(codes).not.toContain(0x1e); // A
  });
});

describe('watchKey: one configured key on a key source', () => {
  const watch = (accelerator = 'Ctrl+Shift+Y') => {
    const source = fakeKeySource();
    const hook = watchKey(binding(accelerator), source);
    const seen: string[] = [];
    hook.onDown(() => seen.push('down'));
    hook.onUp(() => seen.push('up'));
    hook.onLost((reason) => seen.push(`lost: ${reason}`));
    return { source, hook, seen };
  };

  it('reports down once per hold (auto-repeat ignored) and up on release', async () => {
    const { source, hook, seen } = watch();
    await hook.start();
    expect(source.watched).toEqual(watchedKeycodes(binding('Ctrl+Shift+Y')));
    source.key(Y, true, CTRL_SHIFT);
    source.key(Y, true, CTRL_SHIFT); // auto-repeat
    source.key(Y, true, CTRL_SHIFT);
    expect(seen).toEqual(['down']);
    source.key(Y, false, CTRL_SHIFT);
    expect(seen).toEqual(['down', 'up']);
    source.key(Y, false, CTRL_SHIFT); // a second release changes nothing
    source.key(Y, true, CTRL_SHIFT);
    expect(seen).toEqual(['down', 'up', 'down']);
  });

  it('takes the key only with exactly its modifiers, and ends the hold when one is released', async () => {
    const { source, hook, seen } = watch();
    await hook.start();
    source.key(Y, true); // Y alone: ordinary typing
    source.key(Y, true, { ctrl: true }); // Shift missing
    source.key(Y, true, { ...CTRL_SHIFT, alt: true }); // another shortcut
    expect(seen).toEqual([]);
    source.key(Y, true, CTRL_SHIFT);
    source.key(MODIFIER_KEYCODES.alt[0], false); // a modifier the binding does not use
    expect(seen).toEqual(['down']);
    source.key(MODIFIER_KEYCODES.shift[1], false, { ctrl: true }); // right Shift let go
    expect(seen).toEqual(['down', 'up']);
  });

  it('stop releases a held key and stops the source; a lost source releases too', async () => {
    const { source, hook, seen } = watch('F13');
    await hook.start();
    source.key(0x5b, true);
    hook.stop();
    expect(seen).toEqual(['down', 'up']);
    expect(source.stops).toBe(1);
    source.key(0x5b, true); // after stop, nothing
    expect(seen).toEqual(['down', 'up']);

    const again = watch('F13');
    await again.hook.start();
    again.source.key(0x5b, true);
    again.source.lose('the keyboard hook stopped');
    expect(again.seen).toEqual(['down', 'up', 'lost: the keyboard hook stopped']);
  });

  it('passes a refused start on', async () => {
    const source = fakeKeySource({ failStart: new Error('the system refused the keyboard hook') });
    const hook = watchKey(binding('F13'), source);
    await expect(hook.start()).rejects.toThrow('refused');
    expect(source.start).toHaveBeenCalledOnce();
  });
});

/** A HookProcess the test speaks for. */
interface FakeProcess extends HookProcess {
  sent: unknown[];
  killed: number;
  reply(m: unknown): void;
  exit(code: number | null): void;
}
function fakeProcess(): FakeProcess {
  const messages: ((m: unknown) => void)[] = [];
  const exits: ((code: number | null) => void)[] = [];
  const child: FakeProcess = {
    sent: [] as unknown[],
    killed: 0,
    send: (m: unknown) => child.sent.push(m),
    onMessage: (l: (m: unknown) => void) => messages.push(l),
    onExit: (l: (code: number | null) => void) => exits.push(l),
    kill: () => (child.killed += 1),
    reply: (m: unknown) => messages.forEach((l) => l(m)),
    exit: (code: number | null) => exits.forEach((l) => l(code)),
  };
  return child;
}

describe('processKeySource: the hook in a process of its own', () => {
  it('asks the worker for the key codes, resolves once it runs and passes its key events on', async () => {
    const child = fakeProcess();
    const source = processKeySource(
      () => child,
      () => {},
      { script: 'worker.mjs' },
    );
    const keys: KeyEvent[] = [];
    const started = source.start(
      [Y],
      (e) => keys.push(e),
      () => {},
    );
    expect(child.sent).toEqual([{ type: 'watch', keycodes: [Y] }]);
    child.reply({ type: 'key', down: true, keycode: Y }); // before 'started': ignored
    child.reply({ type: 'started' });
    await started;
    child.reply({ type: 'key', down: true, keycode: Y, ctrl: true, shift: true });
    child.reply({ type: 'key', keycode: 'nonsense' });
    child.reply(null);
    expect(keys).toEqual([{ keycode: Y, down: true, ctrl: true, alt: false, shift: true, meta: false }]);
    source.stop();
    expect(child.killed).toBe(1);
  });

  it('a worker that cannot load or start the hook: a plain reason, the detail in the log only', async () => {
    const logged: string[] = [];
    const child = fakeProcess();
    const source = processKeySource(
      () => child,
      (d) => logged.push(d),
      { script: 'worker.mjs' },
    );
    const started = source.start(
      [Y],
      () => {},
      () => {},
    );
    child.reply({ type: 'failed', reason: 'start', detail: 'Failed to open X11 display.' });
    await expect(started).rejects.toThrow(
      'the keyboard hook needs an X11 display (or XWayland) that it can watch',
    );
    expect(logged).toEqual(['the keyboard hook failed to start: Failed to open X11 display.']);
    expect(child.killed).toBe(1);
  });

  it('a worker that dies while running: the key source is lost', async () => {
    const child = fakeProcess();
    const lost = vi.fn();
    const source = processKeySource(
      () => child,
      () => {},
      { script: 'worker.mjs' },
    );
    const started = source.start([Y], () => {}, lost);
    child.reply({ type: 'started' });
    await started;
    child.exit(134);
    expect(lost).toHaveBeenCalledWith('the keyboard hook stopped');
  });

  it('a worker that dies before it runs the hook (libuiohook aborting it): the start is refused at once', async () => {
    const logged: string[] = [];
    const child = fakeProcess();
    const source = processKeySource(
      () => child,
      (d) => logged.push(d),
      {
        script: 'worker.mjs',
        startTimeoutMs: 3_600_000, // far away: the refusal must come from the exit, not the timeout
      },
    );
    const started = source.start(
      [Y],
      () => {},
      () => {},
    );
    child.exit(null);
    await expect(started).rejects.toThrow('the keyboard hook stopped as it started');
    expect(logged).toEqual(['the keyboard hook process ended (exit code none)']);
  });

  it('a worker process that cannot be spawned: a plain reason, the detail in the log only', async () => {
    const logged: string[] = [];
    const spawn = vi.fn((): HookProcess => {
      throw new Error(
        'spawn EACCES /opt/Kiyo/resources/app.asar.unpacked/out/main/global-key-hook-worker.mjs',
      );
    });
    const source = processKeySource(spawn, (d) => logged.push(d), { script: 'worker.mjs' });
    await expect(
      source.start(
        [Y],
        () => {},
        () => {},
      ),
    ).rejects.toThrow(/^the keyboard hook could not be started on this system$/);
    expect(spawn).toHaveBeenCalledOnce();
    expect(logged).toEqual([expect.stringContaining('could not be started: spawn EACCES')]);
  });

  it('stop during the start rejects the start and kills the worker', async () => {
    const child = fakeProcess();
    const source = processKeySource(
      () => child,
      () => {},
      { script: 'worker.mjs' },
    );
    const started = source.start(
      [Y],
      () => {},
      () => {},
    );
    source.stop();
    await expect(started).rejects.toThrow('stopped before it started');
    expect(child.killed).toBe(1);
  });
});

describe('the worker process, for real (plain Node child)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  /** Forks the worker as the app's utility process would run it, recording how it ended. */
  const spawner =
    (env: NodeJS.ProcessEnv, execArgv: string[] = []) =>
    (script: string): HookProcess & { ended: Promise<{ code: number | null; signal: string | null }> } => {
      const child = fork(script, [], { env, execArgv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      children.push(child);
      const ended = new Promise<{ code: number | null; signal: string | null }>((done) =>
        child.on('exit', (code, signal) => done({ code, signal })),
      );
      return {
        ended,
        send: (m) => child.send(m as object),
        onMessage: (l) => child.on('message', l),
        onExit: (l) => child.on('exit', (code) => l(code)),
        kill: () => child.kill('SIGKILL'),
      };
    };

  it('passes on only the key codes main asked for (stubbed hook), every other key stays in the worker', async () => {
    let spawned: ReturnType<ReturnType<typeof spawner>> | undefined;
    const make = spawner(
      {
        ...process.env,
        KIYO_STUB_KEYS: JSON.stringify([
          ['keydown', 0x1e], // A: ordinary typing
          ['keydown', Y],
          ['keyup', 0x1f], // S
          ['keyup', Y],
        ]),
      },
      ['--import', pathToFileURL(resolve('tests/fixtures/uiohook-stub.mjs')).href],
    );
    const source = processKeySource(
      (s) => (spawned = make(s)),
      () => {},
    );
    const keys: KeyEvent[] = [];
    await source.start(
      [Y],
      (e) => keys.push(e),
      () => {},
    );
    await vi.waitFor(() => expect(keys).toHaveLength(2));
    expect(keys.map((k) => [k.keycode, k.down])).toEqual([
      [Y, true],
      [Y, false],
    ]);
    expect(keys[0]).toMatchObject({ ctrl: true, shift: true, alt: false, meta: false });
    source.stop();
    expect(await spawned!.ended).toMatchObject({ signal: 'SIGKILL' });
  });

  it('a hook whose start throws: the worker reports it and the start is refused', async () => {
    const logged: string[] = [];
    const make = spawner({ ...process.env, KIYO_STUB_HOOK: 'throw' }, [
      '--import',
      pathToFileURL(resolve('tests/fixtures/uiohook-stub.mjs')).href,
    ]);
    const source = processKeySource(make, (d) => logged.push(d));
    await expect(
      source.start(
        [Y],
        () => {},
        () => {},
      ),
    ).rejects.toThrow('needs an X11 display');
    expect(logged).toEqual(['the keyboard hook failed to start: Failed to open X11 display.']);
  });

  // The real uiohook-napi on this display-less machine: with an unreachable display its start
  // takes its process down (SIGABRT) or never returns (a race in its start-up). Main only sees a
  // refused start either way, and the worker is gone.
  it('the real native hook with an unreachable display: the worker dies or hangs, main gets a refused start', async () => {
    let spawned: ReturnType<ReturnType<typeof spawner>> | undefined;
    const make = spawner({ ...process.env, DISPLAY: ':219', WAYLAND_DISPLAY: '' });
    const logged: string[] = [];
    const source = processKeySource(
      (s) => (spawned = make(s)),
      (d) => logged.push(d),
      {
        startTimeoutMs: 3000,
      },
    );
    await expect(
      source.start(
        [Y],
        () => {},
        () => {},
      ),
    ).rejects.toThrow(/keyboard hook/);
    const ended = await spawned!.ended;
    // The fault happened: the worker did not run the hook (aborted, failed, or hung and was killed).
    expect(ended.signal === 'SIGABRT' || ended.signal === 'SIGKILL' || (ended.code ?? 0) !== 0).toBe(true);
    expect(logged.some((l) => /process ended|failed to start|did not start within/.test(l))).toBe(true);
  }, 15_000);

  it('a worker that never answers is killed after the start timeout', async () => {
    let spawned: ReturnType<ReturnType<typeof spawner>> | undefined;
    // A script that never reports: the hang libuiohook shows without any display at all.
    const make = spawner(process.env);
    const logged: string[] = [];
    const source = processKeySource(
      (s) => (spawned = make(s)),
      (d) => logged.push(d),
      {
        script: resolve('tests/fixtures/silent-child.mjs'),
        startTimeoutMs: 200,
      },
    );
    await expect(
      source.start(
        [Y],
        () => {},
        () => {},
      ),
    ).rejects.toThrow('did not start (it hung)');
    expect(logged).toEqual(['the keyboard hook process did not start within 200 ms']);
    expect(await spawned!.ended).toMatchObject({ signal: 'SIGKILL' });
  });

  it('the worker script is found next to this module (unpacked from app.asar when packaged)', () => {
    expect(hookWorkerPath()).toBe(resolve('src/main/shell/global-key-hook-worker.mjs'));
    const packed = new URL('file:///opt/Kiyo/resources/app.asar/out/main/global-key-hook-worker.mjs');
    expect(hookWorkerPath(packed)).toBe('/opt/Kiyo/resources/app.asar/out/main/global-key-hook-worker.mjs');
  });
});
