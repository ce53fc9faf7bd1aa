import { SecretRegistry } from '../secrets/secret-registry';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface LogSink {
  (level: LogLevel, line: string): void;
}

export interface Logger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
  child(scope: string): Logger;
  /** Strings (API keys) that must never reach a log line, nor any other output (same as `secrets.add`). */
  addSecret(secret: string): void;
  /**
   * The registry every line is redacted with, shared by all children: main passes the same one to
   * everything else that sends text out (events, IPC results), so there is one redaction step.
   */
  readonly secrets: SecretRegistry;
  /** Changes the level of this logger and every child of it. */
  setLevel(level: LogLevel): void;
  readonly level: LogLevel;
}

/** `text` with `secrets` and anything shaped like a credential hidden (see SecretRegistry). */
export function redact(text: string, secrets: Iterable<string>): string {
  const registry = new SecretRegistry();
  for (const secret of secrets) registry.add(secret);
  return registry.redact(text);
}

function format(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function createLogger(options: {
  level: LogLevel;
  sink?: LogSink;
  scope?: string;
  secrets?: SecretRegistry;
}): Logger {
  const secrets = options.secrets ?? new SecretRegistry();
  let currentLevel = options.level;
  const sink: LogSink =
    options.sink ??
    ((level, line) => (level === 'error' || level === 'warn' ? console.error(line) : console.log(line)));
  const make = (scope: string): Logger => {
    const write =
      (level: LogLevel) =>
      (message: string, ...rest: unknown[]) => {
        if (RANK[level] > RANK[currentLevel]) return;
        const text = [message, ...rest.map(format)].join(' ');
        sink(level, secrets.redact(`${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${text}`));
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (sub) => make(`${scope}/${sub}`),
      addSecret: (secret) => secrets.add(secret),
      secrets,
      setLevel: (level) => {
        currentLevel = level;
      },
      get level() {
        return currentLevel;
      },
    };
  };
  return make(options.scope ?? 'kiyo');
}

export const silentLogger: Logger = createLogger({ level: 'error', sink: () => {} });
