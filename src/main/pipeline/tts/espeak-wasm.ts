/**
 * espeak-ng compiled to WebAssembly (npm text2wav): a voice that works with no network and no
 * download, for the offline fallback and the fake speech server.
 *
 * Its synthesis is synchronous CPU work (hundreds of milliseconds a clause), so it runs in one
 * long-lived worker thread (espeak-worker.mjs) and the calling thread's event loop keeps turning:
 * in the app that is Electron's main process, whose IPC and audio delivery must never stall.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface EspeakOptions {
  /** espeak-ng voice, e.g. en-us, ja, cmn. */
  voice?: string;
  /** Words per minute (espeak's default is 175). */
  speed?: number;
  /** Drops the request: it rejects at once, and its audio is discarded when it arrives. */
  signal?: AbortSignal;
}

export interface EspeakWorkerOptions {
  /** The worker script (tests pass one that misbehaves on cue). */
  url?: URL;
  /** How long one synthesis may take before the worker counts as hung and is replaced. */
  timeoutMs?: (text: string) => number;
}

/**
 * Copied next to the built main bundle by electron.vite.config.ts; in tsx and vitest this is the
 * source file itself. It needs no loader anywhere, being plain JavaScript.
 */
const WORKER_URL = new URL('./espeak-worker.mjs', import.meta.url);

/** Generous: a long clause takes about a second on a loaded two-core machine. */
const defaultTimeoutMs = (text: string) => 20_000 + 20 * text.length;

interface Job {
  id: number;
  text: string;
  options: { voice?: string; speed?: number };
  resolve: (wav: Uint8Array) => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** Aborted while in the worker: its answer is dropped when it comes back. */
  dropped?: boolean;
}

interface Reply {
  id: number;
  wav?: Uint8Array;
  error?: string;
}

/**
 * One espeak-ng worker thread, started on first use, with requests queued and sent one at a time
 * (the module cannot run two at once). A worker that crashes or hangs past the timeout fails its
 * request with a plain message and is replaced for the next one. It never keeps the process alive
 * while idle.
 */
export class EspeakWorker {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private current: { job: Job; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;

  constructor(private readonly config: EspeakWorkerOptions = {}) {}

  synthesize(text: string, { signal, voice, speed }: EspeakOptions = {}): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      // text2wav turns every key it is given into an espeak-ng argument, even an undefined one.
      const options = { ...(voice !== undefined && { voice }), ...(speed !== undefined && { speed }) };
      const job: Job = { id: this.nextId++, text, options, resolve, reject, signal };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.next();
    });
  }

  /** Stops the worker; whatever was pending fails. A later request starts a new worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    const pending = [...(this.current ? [this.finish()] : []), ...this.queue.splice(0)];
    for (const job of pending) this.settle(job, new Error('The offline voice was shut down'));
    await worker?.terminate();
  }

  private next(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    let worker: Worker;
    try {
      worker = this.worker ??= this.start();
    } catch (error) {
      // A worker that cannot even be created (its script missing): this request fails plainly.
      this.settle(job, new Error(`espeak-ng could not start: ${(error as Error).message}`));
      return this.next();
    }
    const ms = (this.config.timeoutMs ?? defaultTimeoutMs)(job.text);
    const timer = setTimeout(
      () => this.replace(worker, `espeak-ng took longer than ${Math.round(ms / 1000)} s and was restarted`),
      ms,
    );
    this.current = { job, timer };
    // The worker, not the timer, keeps the process alive while it owes an answer (a CLI awaiting
    // speech must not exit), and nothing does while it is idle.
    timer.unref();
    worker.ref();
    worker.postMessage({ id: job.id, text: job.text, options: job.options });
  }

  private start(): Worker {
    // Plain JavaScript: the host's loader flags (tsx under the CLI) are not carried into the thread,
    // which would only slow its start.
    const worker = new Worker(workerPath(this.config.url ?? WORKER_URL), { execArgv: [] });
    worker.on('message', (reply: Reply) => {
      if (worker !== this.worker || this.current?.job.id !== reply.id) return;
      const job = this.finish();
      if (reply.wav) this.settle(job, reply.wav);
      else this.settle(job, new Error(reply.error ?? 'espeak-ng gave no audio'));
      this.next();
    });
    worker.on('error', (error) => this.replace(worker, `espeak-ng crashed: ${error.message}`));
    worker.on('exit', (code) => this.replace(worker, `espeak-ng stopped (exit code ${code})`));
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    return worker;
  }

  /** The worker crashed, exited or hung: fail its request and start afresh for the next one. */
  private replace(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    void worker.terminate();
    if (this.current) this.settle(this.finish(), new Error(message));
    this.next();
  }

  private finish(): Job {
    const { job, timer } = this.current!;
    clearTimeout(timer);
    this.current = undefined;
    return job;
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else job.dropped = true;
    job.reject(abortError(job.signal!));
  }

  private settle(job: Job, result: Uint8Array | Error): void {
    if (job.onAbort) job.signal!.removeEventListener('abort', job.onAbort);
    if (job.dropped) return;
    if (result instanceof Error) job.reject(result);
    else job.resolve(result);
  }
}

/**
 * A packaged app runs main from app.asar; the worker script is unpacked next to it
 * (electron-builder.yml), so the worker starts from a real file and finds text2wav (also unpacked)
 * with no archive support needed in the thread.
 */
function workerPath(url: URL): string {
  const path = fileURLToPath(url);
  const unpacked = path.replace(/\.asar([\\/])/, '.asar.unpacked$1');
  return unpacked !== path && existsSync(unpacked) ? unpacked : path;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError');
}

const shared = new EspeakWorker();

/** A WAV file (22.05 kHz, 16-bit mono) of `text` spoken by espeak-ng, made off this thread. */
export function espeakWav(text: string, options?: EspeakOptions): Promise<Uint8Array> {
  // espeak-ng reads its arguments like a command line: a text starting with "-" would be an option.
  const safe = ` ${text.replace(/\s+/g, ' ').trim() || ' '}`;
  return shared.synthesize(safe, options);
}

/** Stops the shared espeak-ng worker (clean shutdown); the next espeakWav starts a new one. */
export function closeEspeak(): Promise<void> {
  return shared.close();
}
