import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Conf from 'conf';
import { defaultPipelineSettings, type PipelineSettings } from '../../shared/settings';
import type { Logger } from '../pipeline/logger';
import {
  loadSettings,
  toStoredDocument,
  withoutPlainTextKeys,
  type LoadedSettings,
  type SecretCipher,
} from './settings-persistence';

/*
 * Why `conf` and not `electron-store`: electron-store 11 is `conf` plus three things, and its
 * module imports 'electron' at load time, which in plain Node (tests, no Electron binary) tries to
 * download Electron and throws. Of the three, we need none: the user-data folder is passed in as
 * `cwd` (main has `app`), `projectVersion` only feeds conf's semver migrations (ours are
 * versioned in the document), and renderer access is not wanted for a file holding a secret.
 * The file is the same one electron-store wrote (`<userData>/settings.json`, tab-indented JSON),
 * so settings from before this module are picked up and migrated. `conf` is electron-store's
 * own dependency (^15), hoisted in node_modules.
 */

export interface SettingsLoadResult extends LoadedSettings {
  /** Where the previous file was kept before it was replaced or repaired; worth telling the user. */
  backupPath?: string;
  /** false: the API key is in use this session but could not be stored (no secure storage). */
  keyPersisted: boolean;
}

type RawRead =
  | { kind: 'missing' }
  | { kind: 'unreadable'; error: unknown }
  | { kind: 'invalid'; error: unknown }
  | { kind: 'json'; value: unknown };

const FILE_MODE = 0o600; // holds the encrypted key: no reason for other users to read it

/**
 * JSON.parse after dropping a leading UTF-8 byte order mark: editors such as Windows Notepad add
 * one to a hand-edited file, and JSON.parse (and so conf) rejects it as invalid JSON.
 */
function parseSettingsJson(text: string): unknown {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
}

export class SettingsFileStore {
  readonly path: string;
  readonly #name: string;
  readonly #cwd: string;
  readonly #cipher: SecretCipher;
  readonly #logger: Logger;
  #conf?: Conf<Record<string, unknown>>;

  constructor(options: {
    cipher: SecretCipher;
    logger: Logger;
    /** The folder of the file: `app.getPath('userData')` in the app, a temp dir in tests. */
    cwd: string;
    name?: string;
  }) {
    this.#cipher = options.cipher;
    this.#logger = options.logger;
    this.#cwd = options.cwd;
    this.#name = options.name ?? 'settings';
    this.path = join(this.#cwd, `${this.#name}.json`);
  }

  /** Never throws: whatever is on disk, the app starts with usable settings. */
  load(): SettingsLoadResult {
    const read = this.#readRaw();
    if (read.kind === 'unreadable') {
      this.#logger.error(`cannot read ${this.path}, using default settings:`, read.error);
      return {
        settings: defaultPipelineSettings(),
        resetFields: [`(file): ${this.path} could not be read, default settings are used`],
        corrupt: false,
        needsSave: false,
        keyPersisted: true,
      };
    }

    const raw = read.kind === 'json' ? read.value : read.kind === 'invalid' ? null : undefined;
    const result = loadSettings(raw, this.#cipher);
    this.#logger.addSecret(result.settings.llm.apiKey);

    let backupPath: string | undefined;
    if (result.corrupt) {
      // Moved away rather than overwritten: the user may want to rescue values from it by hand.
      backupPath = this.#backup('corrupt', (target) => renameSync(this.path, target));
      this.#logger.warn(
        `${this.path} is not a settings file (${read.kind === 'invalid' ? String(read.error) : 'not an object'}); ` +
          `using default settings${backupPath ? `, the broken file was moved to ${backupPath}` : ''}`,
      );
    } else if (result.resetFields.length > 0) {
      // A plain-text key from an old file must not survive in the backup either.
      const safe = withoutPlainTextKeys(raw);
      backupPath = this.#backup('backup', (target) =>
        isDeepStrictEqual(safe, raw)
          ? copyFileSync(this.path, target)
          : writeFileSync(target, JSON.stringify(safe, undefined, '\t'), { mode: FILE_MODE }),
      );
      this.#logger.warn(
        `settings in ${this.path} were repaired${backupPath ? ` (original kept as ${backupPath})` : ''}:\n  ` +
          result.resetFields.join('\n  '),
      );
    }

    let keyPersisted = true;
    // Without a copy, rewriting would destroy what the user had: leave the file for them to fix.
    const kept = backupPath !== undefined || (!result.corrupt && result.resetFields.length === 0);
    if (result.needsSave && !kept)
      this.#logger.warn(`${this.path} is not rewritten, so nothing in it is lost`);
    else if (result.needsSave) {
      try {
        keyPersisted = this.save(result.settings).keyPersisted;
      } catch (error) {
        this.#logger.error(
          `cannot write ${this.path}; the settings will be repaired again next start:`,
          error,
        );
      }
    }
    return { ...result, ...(backupPath && { backupPath }), keyPersisted };
  }

  /**
   * Writes the whole document atomically. Throws when the file cannot be written (full disk,
   * read-only profile) so the preferences window can say the change was not saved.
   */
  save(settings: PipelineSettings): { keyPersisted: boolean } {
    const { document, keyPersisted } = toStoredDocument(settings, this.#cipher);
    this.#logger.addSecret(settings.llm.apiKey);
    this.#open().store = { ...document };
    if (!keyPersisted)
      this.#logger.warn(
        'secure storage is not available: the API key is kept for this session only and not written to disk',
      );
    return { keyPersisted };
  }

  /**
   * Read directly rather than through conf: conf throws on malformed JSON (clearInvalidConfig
   * off, because silently wiping hand-edited settings is worse) and turns a top-level string or
   * array into an object, which would hide that the file is not a settings file.
   */
  #readRaw(): RawRead {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'unreadable', error };
    }
    try {
      return { kind: 'json', value: parseSettingsJson(text) };
    } catch (error) {
      return { kind: 'invalid', error };
    }
  }

  // Opened lazily, after load() has moved a corrupt file away: conf's constructor parses the file.
  #open(): Conf<Record<string, unknown>> {
    this.#conf ??= new Conf<Record<string, unknown>>({
      cwd: this.#cwd,
      configName: this.#name,
      clearInvalidConfig: false,
      configFileMode: FILE_MODE,
      deserialize: (text) => parseSettingsJson(text) as Record<string, unknown>,
    });
    return this.#conf;
  }

  #backup(kind: 'corrupt' | 'backup', write: (target: string) => void): string | undefined {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let target = join(dirname(this.path), `${this.#name}.${kind}-${stamp}.json`);
    for (let n = 1; existsSync(target); n++)
      target = join(dirname(this.path), `${this.#name}.${kind}-${stamp}-${n}.json`);
    try {
      write(target);
      return target;
    } catch (error) {
      this.#logger.error(`cannot keep a copy of ${this.path} as ${target}:`, error);
      return undefined;
    }
  }
}
