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
  /** Strings (API keys) that must never reach a log line. */
  addSecret(secret: string): void;
  /** Changes the level of this logger and every child of it. */
  setLevel(level: LogLevel): void;
  readonly level: LogLevel;
}

// Bearer tokens and OpenAI-style keys, whatever the configured key is.
const KEY_PATTERNS = [/\bsk-[A-Za-z0-9_-]{8,}/g, /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi];

export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  for (const pattern of KEY_PATTERNS)
    out = out.replace(
      pattern,
      (_m, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`,
    );
  return out;
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

export function createLogger(options: { level: LogLevel; sink?: LogSink; scope?: string }): Logger {
  const secrets = new Set<string>();
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
        sink(level, redact(`${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${text}`, secrets));
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (sub) => make(`${scope}/${sub}`),
      addSecret: (secret) => {
        if (secret) secrets.add(secret);
      },
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
