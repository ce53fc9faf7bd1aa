import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KeyEvent, KeySource } from './global-key-hook';

/**
 * The key source of the app: uiohook-napi in a process of its own (global-key-hook-worker.mjs).
 * The native hook is loaded only there and only when hold-to-talk is wanted, so a missing
 * display, Wayland without XWayland, macOS without the Accessibility permission or a native
 * module that fails to load costs a log line and the toggle fallback, never main itself (on a
 * machine without a reachable X display libuiohook's start aborts its process or hangs).
 */

/** The worker process as this file needs it (an Electron UtilityProcess or a Node ChildProcess). */
export interface HookProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type HookProcessSpawner = (script: string) => HookProcess;

/** How long the worker may take to report its hook running before it is taken as hung. */
const START_TIMEOUT_MS = 5000;

const WORKER_URL = new URL('./global-key-hook-worker.mjs', import.meta.url);

/**
 * A packaged app runs main from app.asar; the worker and uiohook-napi are unpacked
 * (electron-builder.yml), so the worker starts from a real file and loads the .node prebuild from disk.
 */
export function hookWorkerPath(url: URL = WORKER_URL): string {
  const path = fileURLToPath(url);
  const unpacked = path.replace(/\.asar([\\/])/, '.asar.unpacked$1');
  return unpacked !== path && existsSync(unpacked) ? unpacked : path;
}

/** Plain words for why the hook could not start; the worker's technical detail goes to the log only. */
function plainReason(reason: unknown, detail: string): string {
  if (reason === 'load') return 'the keyboard hook could not be loaded on this system';
  if (/X11 display|XOpenDisplay|XRecord/i.test(detail))
    return 'the keyboard hook needs an X11 display (or XWayland) that it can watch';
  if (/assistive|AXAPI/i.test(detail))
    return 'the keyboard hook needs the Accessibility permission (System Settings → Privacy & Security)';
  return 'the system refused the keyboard hook';
}

interface WorkerMessage {
  type?: unknown;
  reason?: unknown;
  detail?: unknown;
  down?: unknown;
  keycode?: unknown;
  ctrl?: unknown;
  alt?: unknown;
  shift?: unknown;
  meta?: unknown;
}

const keyEventOf = (m: WorkerMessage): KeyEvent | undefined =>
  typeof m.keycode === 'number' && typeof m.down === 'boolean'
    ? {
        keycode: m.keycode,
        down: m.down,
        ctrl: m.ctrl === true,
        alt: m.alt === true,
        shift: m.shift === true,
        meta: m.meta === true,
      }
    : undefined;

/**
 * A key source backed by the worker process. `log` gets the technical detail of a failure (it
 * names no key: only the worker's own error text).
 */
export function processKeySource(
  spawn: HookProcessSpawner,
  log: (detail: string) => void,
  options: { script?: string; startTimeoutMs?: number } = {},
): KeySource {
  let current: { child: HookProcess; stop(): void } | undefined;
  return {
    start(keycodes, onKey, onLost) {
      current?.stop();
      return new Promise<void>((resolve, reject) => {
        let started = false;
        let ended = false;
        let child: HookProcess;
        try {
          child = spawn(options.script ?? hookWorkerPath());
        } catch (error) {
          log(
            `the keyboard hook process could not be started: ${error instanceof Error ? error.message : String(error)}`,
          );
          reject(new Error('the keyboard hook could not be started on this system'));
          return;
        }
        const end = () => {
          ended = true;
          clearTimeout(timer);
          if (current?.child === child) current = undefined;
        };
        const timer = setTimeout(() => {
          if (started || ended) return;
          end();
          child.kill();
          log(
            `the keyboard hook process did not start within ${options.startTimeoutMs ?? START_TIMEOUT_MS} ms`,
          );
          reject(new Error('the keyboard hook did not start (it hung)'));
        }, options.startTimeoutMs ?? START_TIMEOUT_MS);
        current = {
          child,
          stop: () => {
            if (ended) return;
            end();
            child.kill();
            if (!started) reject(new Error('stopped before it started'));
          },
        };
        child.onMessage((raw) => {
          if (ended || typeof raw !== 'object' || raw === null) return;
          const message = raw as WorkerMessage;
          if (message.type === 'started' && !started) {
            started = true;
            clearTimeout(timer);
            resolve();
          } else if (message.type === 'failed' && !started) {
            const detail = typeof message.detail === 'string' ? message.detail : '';
            log(`the keyboard hook failed to ${message.reason === 'load' ? 'load' : 'start'}: ${detail}`);
            end();
            child.kill();
            reject(new Error(plainReason(message.reason, detail)));
          } else if (message.type === 'key' && started) {
            const event = keyEventOf(message);
            if (event) onKey(event);
          }
        });
        child.onExit((code) => {
          if (ended) return;
          end();
          log(`the keyboard hook process ended (exit code ${code ?? 'none'})`);
          if (started) onLost('the keyboard hook stopped');
          else
            reject(
              new Error('the keyboard hook stopped as it started (no display or permission it can use)'),
            );
        });
        child.send({ type: 'watch', keycodes });
      });
    },
    stop() {
      current?.stop();
    },
  };
}
