import type { Logger } from '../pipeline/logger';

interface ProcessEvents {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
}

/**
 * The last line of defence for the main process. An exception thrown in a library's callback (a
 * socket's message handler, a timer) or a promise nobody awaits has no caller to catch it, and
 * by default it ends the process, taking the overlay and the stream down with it. Kiyo logs it
 * and keeps running. Known failures are contained where they start (see edge-frame-guard.ts);
 * this catches the ones nobody foresaw. Returns a function that removes the guard.
 */
export function installCrashGuard(logger: Logger, target: ProcessEvents = process): () => void {
  const onException = (error: unknown) =>
    logger.error('an unexpected error in a background task was caught; Kiyo keeps running', error);
  const onRejection = (reason: unknown) =>
    logger.error('an unexpected failure nobody waited for was caught; Kiyo keeps running', reason);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
