import type { ErrorCode } from '../../shared/pipeline-events';

/** A failure the user can be told about: a code for the UI and logs, and a sentence for people. */
export class PipelineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || error.name === 'APIUserAbortError' || error.name === 'CancelledError')
  );
}

export function toPipelineError(error: unknown): PipelineError {
  if (error instanceof PipelineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PipelineError('internal', `Internal error: ${message}`, false, { cause: error });
}
