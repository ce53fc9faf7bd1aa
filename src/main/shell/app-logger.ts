import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger, type LogLevel } from '../pipeline/logger';

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** The app's log: console and `<logs folder>/kiyo.log` (redacted either way). */
export function createAppLogger(logsFolder: string): Logger {
  mkdirSync(logsFolder, { recursive: true });
  const file = createWriteStream(join(logsFolder, 'kiyo.log'), { flags: 'a', mode: 0o600 });
  file.on('error', () => {}); // a full disk must not take the app down; the console still works
  const requested = process.env.KIYO_LOG_LEVEL as LogLevel | undefined;
  return createLogger({
    level: requested && LEVELS.includes(requested) ? requested : 'info',
    sink: (level, line) => {
      file.write(`${line}\n`);
      if (level === 'error' || level === 'warn') console.error(line);
      else console.log(line);
    },
  });
}
