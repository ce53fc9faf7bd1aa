import { z } from 'zod';
import { chatSchema } from '../../shared/chat-settings';
import {
  characterSchema,
  defaultPipelineSettings,
  describeSettingsErrors,
  llmSchema,
  parsePipelineSettings,
  pipelineSettingsSchema,
  streamingSchema,
  sttSchema,
  ttsSchema,
  type LlmSettings,
  type PipelineSettings,
} from '../../shared/settings';
import type { RendererSettings } from '../../shared/settings-view';
import { edgeSettingsSchema } from '../../shared/tts-providers/edge';
import type { TtsProviderId } from '../../shared/tts-providers/catalog';
import type { SttProviderId } from '../../shared/stt-providers/catalog';
import { voiceInputSchema } from '../../shared/voice-input';
import { insecureKeyDestination, originOf } from '../secrets/key-binding';
import { redactUrlCredentials } from '../secrets/secret-registry';
import { firstSoundSchema, phraseCacheSchema } from '../../shared/phrase-settings';
import {
  PROVIDER_KEY_GROUPS,
  STT_KEY_GROUP,
  TTS_KEY_GROUP,
  type ProviderKeyGroup,
} from './provider-key-groups';

/**
 * How pipeline settings are stored on disk and read back. Pure (no electron, no electron-store) so
 * every rule here is unit tested; settings-file-store.ts only moves bytes.
 *
 * Rules the rest of the app relies on:
 * - a broken or hand-edited value costs the user that one value, never the rest, never a start;
 * - the API key is never written in plain text: encrypted in `secrets`, or not at all;
 * - the key is stored with the origin it was entered for (`secrets.llmApiKeyOrigin`), and is
 *   sent nowhere else until the user confirms it for a new one (key-binding.ts).
 */

/** Encryption of the API key at rest; safe-storage-cipher.ts is the real one. */
export interface SecretCipher {
  isAvailable(): boolean;
  /** Returns base64 ciphertext. */
  encrypt(plain: string): string;
  /** Throws when the ciphertext cannot be decrypted (other machine, other OS user, reset keyring). */
  decrypt(cipher: string): string;
}

export const CURRENT_VERSION = 5;

/** Kept in `secrets`, not among the settings. */
type KeyFields = 'apiKey' | 'apiKeyOrigin';
export type StoredPipelineSettings = Omit<PipelineSettings, 'llm'> & { llm: Omit<LlmSettings, KeyFields> };

export interface StoredDocument {
  version: number;
  pipeline: StoredPipelineSettings;
  secrets?: {
    /** base64 ciphertext from {@link SecretCipher.encrypt}. */
    llmApiKey?: string;
    /** The origin the key was entered or confirmed for; it is sent to no other. */
    llmApiKeyOrigin?: string;
    /** Voice services' keys, the same way, by provider id. */
    ttsApiKeys?: Partial<Record<TtsProviderId, { apiKey: string; apiKeyOrigin: string }>>;
    /** Speech-to-text services' keys, the same way, by provider id. */
    sttApiKeys?: Partial<Record<SttProviderId, { apiKey: string; apiKeyOrigin: string }>>;
  };
}

export interface LoadedSettings {
  settings: PipelineSettings;
  /** One human-readable line per value that was replaced, for the log and for the user. */
  resetFields: string[];
  /** The document was not an object at all: everything is back to defaults. */
  corrupt: boolean;
  /** The file should be rewritten now (migrated, repaired, or a plain-text key to remove). */
  needsSave: boolean;
}

type Json = Record<string, unknown>;

export interface MigrationContext {
  cipher: SecretCipher;
  /** Lines for {@link LoadedSettings.resetFields}. */
  notes: string[];
  /** A plain-text key that could not be encrypted: used for this session, never written back. */
  sessionApiKey?: string;
  sessionApiKeyOrigin?: string;
}

/** Turns a document of version N into version N + 1; it does not need to set `version`. */
export type Migration = (document: Json, context: MigrationContext) => Json;

const SECTIONS = {
  character: characterSchema,
  llm: llmSchema,
  tts: ttsSchema,
  streaming: streamingSchema,
  listen: voiceInputSchema,
  stt: sttSchema,
  chat: chatSchema,
  phraseCache: phraseCacheSchema,
  firstSound: firstSoundSchema,
} satisfies { [K in keyof PipelineSettings]: z.ZodType };
type Section = keyof typeof SECTIONS;
const SECTION_NAMES = Object.keys(SECTIONS) as Section[];

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const has = (record: Json, key: string) => Object.hasOwn(record, key);

/** `migrations[i]` upgrades version i + 1 to i + 2, so they run in array order. */
export const migrations: readonly Migration[] = [
  // 1 → 2. Version 1 had no `version`, kept the sections under `pipeline` (or, before that, at the
  // root) and the API key in plain text inside them.
  (document, context) => {
    const flat: Json = {};
    for (const section of SECTION_NAMES) if (has(document, section)) flat[section] = document[section];
    // A `pipeline` that is not an object is kept as is so that loading reports it.
    const pipeline =
      has(document, 'pipeline') && !isRecord(document.pipeline)
        ? document.pipeline
        : { ...flat, ...(isRecord(document.pipeline) ? document.pipeline : {}) };
    const next: Json = { pipeline };
    if (has(document, 'secrets')) next.secrets = document.secrets;
    return securePlainTextKey(next, context);
  },
  // 2 → 3. Keys are bound to an origin; a key saved before that was meant for the base URL saved
  // with it, so it is bound to that URL's origin (and to nothing else).
  (document) => {
    const secrets = document.secrets;
    if (!isRecord(secrets) || !has(secrets, 'llmApiKey') || has(secrets, 'llmApiKeyOrigin')) return document;
    return { ...document, secrets: { ...secrets, llmApiKeyOrigin: savedOrigin(document) } };
  },
  // 3 → 4. The voice had only Edge's settings, flat in `tts`; they are now Edge's own
  // (`tts.providers.edge`), next to the chosen provider and the fallback order of that time.
  (document) => {
    const pipeline = document.pipeline;
    if (!isRecord(pipeline) || !isRecord(pipeline.tts)) return document;
    const edge: Json = {};
    for (const key of Object.keys(edgeSettingsSchema.shape))
      if (has(pipeline.tts, key)) edge[key] = pipeline.tts[key];
    const tts: Json = { provider: 'edge', fallback: ['offline'], providers: { edge } };
    return { ...document, pipeline: { ...pipeline, tts } };
  },
  // 4 → 5. The first clause's time budget leads now and its character limit became a ceiling
  // for fast models. A stored pair that is a preset's old pair (so not tuned by hand) moves to
  // that preset's new pair; otherwise the old 60-character limit would still act first.
  (document) => {
    const pipeline = document.pipeline;
    if (!isRecord(pipeline) || !isRecord(pipeline.streaming)) return document;
    const { firstSegmentMaxChars: chars, firstSegmentBudgetMs: ms } = pipeline.streaming;
    const moved = FIRST_CUT_MOVES.find(([from]) => from[0] === chars && from[1] === ms)?.[1];
    if (!moved) return document;
    const streaming = {
      ...pipeline.streaming,
      firstSegmentMaxChars: moved[0],
      firstSegmentBudgetMs: moved[1],
    };
    return { ...document, pipeline: { ...pipeline, streaming } };
  },
];

/** [old characters, old ms] → [new characters, new ms] for Fastest, Balanced (the defaults), Stable. */
const FIRST_CUT_MOVES: [[number, number], [number, number]][] = [
  [
    [30, 300],
    [60, 300],
  ],
  [
    [60, 700],
    [120, 500],
  ],
  [
    [120, 1500],
    [240, 1500],
  ],
];

/** The origin of the base URL in a stored document (the default one when it has none or a bad one). */
function savedOrigin(document: Json): string {
  const pipeline = document.pipeline;
  const baseUrl = isRecord(pipeline) && isRecord(pipeline.llm) ? pipeline.llm.baseUrl : undefined;
  const parsed = llmSchema.shape.baseUrl.safeParse(baseUrl);
  return originOf(parsed.success ? parsed.data : llmSchema.shape.baseUrl.parse(undefined));
}

/** Runs every migration the document needs, in order. */
export function migrateDocument(
  raw: Json,
  context: MigrationContext,
): { document: Json; fromVersion: number } {
  const fromVersion = documentVersion(raw, context.notes);
  let document = raw;
  for (let version = fromVersion; version < CURRENT_VERSION; version++) {
    const migration = migrations[version - 1];
    if (!migration) throw new Error(`no settings migration from version ${version}`);
    document = { ...migration(document, context), version: version + 1 };
  }
  return { document, fromVersion };
}

function documentVersion(raw: Json, notes: string[]): number {
  if (!has(raw, 'version')) return 1;
  const version = raw.version;
  if (typeof version === 'number' && Number.isInteger(version) && version >= 1) return version;
  // The version 1 migration understands every layout that ever existed, so it is the safe guess.
  notes.push(`version: was ${show(version)}, read as a version 1 file`);
  return 1;
}

/**
 * Moves a plain-text `pipeline.llm.apiKey` into `secrets`, encrypted. Also applied to current
 * documents, because a user may type the key into the file by hand.
 */
function securePlainTextKey(document: Json, context: MigrationContext): Json {
  const pipeline = document.pipeline;
  if (!isRecord(pipeline) || !isRecord(pipeline.llm) || !has(pipeline.llm, 'apiKey')) return document;
  const { apiKey, ...llm } = pipeline.llm;
  const without: Json = { ...document, pipeline: { ...pipeline, llm } };
  if (typeof apiKey !== 'string' || !llmSchema.shape.apiKey.safeParse(apiKey).success) {
    // Never echo the value: it may be a key with a typo.
    context.notes.push('llm.apiKey: the plain-text key in the file was not valid and was removed');
    return without;
  }
  if (apiKey === '') return without;
  // Typed into the file next to a base URL: meant for that server.
  const origin = savedOrigin(document);
  const encrypted = tryEncrypt(context.cipher, apiKey);
  if (encrypted !== undefined) {
    const secrets = isRecord(document.secrets) ? document.secrets : {};
    return { ...without, secrets: { ...secrets, llmApiKey: encrypted, llmApiKeyOrigin: origin } };
  }
  context.sessionApiKey = apiKey;
  context.sessionApiKeyOrigin = origin;
  context.notes.push(
    'llm.apiKey: was stored in plain text and secure storage is not available, so it was removed ' +
      'from the file; it is used for this session only and must be entered again next time',
  );
  return without;
}

function tryEncrypt(cipher: SecretCipher, plain: string): string | undefined {
  try {
    return cipher.isAvailable() ? cipher.encrypt(plain) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses whatever was in the settings file; never throws. `raw` is undefined when there is no file. */
export function loadSettings(raw: unknown, cipher: SecretCipher): LoadedSettings {
  if (raw === undefined)
    return { settings: defaultPipelineSettings(), resetFields: [], corrupt: false, needsSave: false };
  if (!isRecord(raw))
    return { settings: defaultPipelineSettings(), resetFields: [], corrupt: true, needsSave: true };

  const context: MigrationContext = { cipher, notes: [] };
  const { document: migrated, fromVersion } = migrateDocument(raw, context);
  const document = securePlainTextKey(migrated, context);
  const resetFields = context.notes;
  const settings = readPipeline(document.pipeline, resetFields);
  settings.llm.apiKey = context.sessionApiKey ?? readApiKey(document, cipher, resetFields);
  settings.llm.apiKeyOrigin = settings.llm.apiKey
    ? (context.sessionApiKeyOrigin ?? readApiKeyOrigin(document))
    : '';
  let providerKeysMoved = false;
  for (const group of PROVIDER_KEY_GROUPS)
    providerKeysMoved = readProviderKeys(group, document, settings, cipher, resetFields) || providerKeysMoved;
  return {
    settings,
    resetFields,
    corrupt: false,
    needsSave:
      fromVersion < CURRENT_VERSION || document !== migrated || resetFields.length > 0 || providerKeysMoved,
  };
}

function readPipeline(raw: unknown, resetFields: string[]): PipelineSettings {
  if (raw === undefined) return defaultPipelineSettings();
  if (!isRecord(raw)) {
    resetFields.push(`pipeline: was ${show(raw)}, reset to defaults (expected an object)`);
    return defaultPipelineSettings();
  }
  const sections: Json = {};
  for (const section of SECTION_NAMES) sections[section] = readSection(section, raw[section], resetFields);
  return parsePipelineSettings(sections);
}

/** Field by field, so one bad value does not take the valid ones around it down with it. */
function readSection(section: Section, raw: unknown, resetFields: string[]): Json {
  return readObject(section, SECTIONS[section], raw, resetFields);
}

/** The object inside a field like `tts.providers` (a `.prefault({})` object), if it is one. */
function nestedObject(field: z.ZodType): z.ZodObject | undefined {
  const inner = field instanceof z.ZodPrefault ? field.unwrap() : field;
  return inner instanceof z.ZodObject ? inner : undefined;
}

/** Key fields: they live in `secrets`, never among the stored settings. */
function isKeyField(section: string, key: string): boolean {
  const holder =
    section === 'llm' ||
    PROVIDER_KEY_GROUPS.some((group) =>
      group.ids.some((id) => section === `${group.section}.providers.${id}`),
    );
  return holder && (key === 'apiKey' || key === 'apiKeyOrigin');
}

function readObject(section: string, schema: z.ZodObject, raw: unknown, resetFields: string[]): Json {
  const defaults = schema.parse({}) as Json;
  if (raw === undefined) return defaults;
  if (!isRecord(raw)) {
    resetFields.push(`${section}: was ${show(raw)}, reset to defaults (expected an object)`);
    return defaults;
  }
  const merged: Json = { ...defaults };
  for (const [key, field] of Object.entries(schema.shape)) {
    // The key and its origin live in `secrets`; a plain-text key was moved there before this runs.
    if (isKeyField(section, key) || !has(raw, key)) continue;
    // Nested settings (each voice provider's) are read field by field too.
    const nested = nestedObject(field as z.ZodType);
    if (nested) {
      merged[key] = readObject(`${section}.${key}`, nested, raw[key], resetFields);
      continue;
    }
    const parsed = field.safeParse(raw[key]);
    if (parsed.success) merged[key] = parsed.data;
    else resetFields.push(resetLine(`${section}.${key}`, raw[key], defaults[key], parsed.error.issues));
  }
  // Cross-field rules (streaming's min <= max) can fail although every field is valid on its own:
  // reset the field the rule names, and only if that is not enough, the whole section.
  for (;;) {
    const whole = schema.safeParse(merged);
    if (whole.success) return whole.data as Json;
    const fixable = whole.error.issues.filter((issue) => {
      const key = issue.path[0];
      return typeof key === 'string' && has(defaults, key) && merged[key] !== defaults[key];
    });
    if (fixable.length === 0) {
      resetFields.push(
        `${section}: values that do not fit together (${messages(whole.error.issues)}), reset to defaults`,
      );
      return defaults;
    }
    for (const issue of fixable) {
      const key = issue.path[0] as string;
      resetFields.push(resetLine(`${section}.${key}`, merged[key], defaults[key], [issue]));
      merged[key] = defaults[key];
    }
  }
}

function readApiKey(document: Json, cipher: SecretCipher, resetFields: string[]): string {
  const lost = (why: string) => {
    resetFields.push(`llm.apiKey: ${why}, so it was reset to empty and must be entered again`);
    return '';
  };
  if (!has(document, 'secrets')) return '';
  const secrets = document.secrets;
  if (!isRecord(secrets)) return lost('the stored key could not be read (secrets is not an object)');
  if (!has(secrets, 'llmApiKey')) return '';
  const encrypted = secrets.llmApiKey;
  if (typeof encrypted !== 'string' || encrypted === '') return lost('the stored key could not be read');
  if (!cipher.isAvailable())
    return lost('the stored key could not be decrypted (secure storage is not available)');
  let plain: string;
  try {
    plain = cipher.decrypt(encrypted);
  } catch {
    return lost('the stored key could not be decrypted');
  }
  if (!llmSchema.shape.apiKey.safeParse(plain).success) return lost('the decrypted key is not valid');
  return plain;
}

/** '' (bound to nothing: the key is withheld until confirmed) when the file does not say. */
function readApiKeyOrigin(document: Json): string {
  const secrets = document.secrets;
  const origin = isRecord(secrets) ? secrets.llmApiKeyOrigin : undefined;
  return typeof origin === 'string' && originOf(origin) === origin ? origin : '';
}

function resetLine(path: string, was: unknown, reset: unknown, issues: readonly z.core.$ZodIssue[]): string {
  return `${path}: was ${show(was)}, reset to ${show(reset)} (${messages(issues)})`;
}

const messages = (issues: readonly z.core.$ZodIssue[]) => issues.map((issue) => issue.message).join('; ');

/** Short enough for a dialog: a 9000-character persona must not fill the screen. */
function show(value: unknown): string {
  // A hand-edited base URL may carry a password (user:pass@host): never repeat it.
  const text = redactUrlCredentials(value === undefined ? 'undefined' : JSON.stringify(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * What is written to the file. The key goes into `secrets` encrypted; without secure storage it is
 * left out (`keyPersisted: false`) and lives only in memory until the app quits.
 */
export function toStoredDocument(
  settings: PipelineSettings,
  cipher: SecretCipher,
): { document: StoredDocument; keyPersisted: boolean } {
  // Parsing drops anything that is not a setting (say a RendererSettings' `apiKeySet`).
  const parsed = pipelineSettingsSchema.parse(settings);
  const {
    llm: { apiKey, apiKeyOrigin, ...llm },
    ...rest
  } = parsed;
  const tts = storedProviders(TTS_KEY_GROUP, parsed, cipher);
  const stt = storedProviders(STT_KEY_GROUP, parsed, cipher);
  const document: StoredDocument = {
    version: CURRENT_VERSION,
    pipeline: {
      ...rest,
      tts: tts.section as PipelineSettings['tts'],
      stt: stt.section as PipelineSettings['stt'],
      llm,
    },
  };
  const secrets: NonNullable<StoredDocument['secrets']> = {};
  if (Object.keys(tts.keys).length > 0) secrets.ttsApiKeys = tts.keys;
  if (Object.keys(stt.keys).length > 0) secrets.sttApiKeys = stt.keys;
  let keyPersisted = tts.keysPersisted && stt.keysPersisted;
  if (apiKey !== '') {
    const encrypted = tryEncrypt(cipher, apiKey);
    if (encrypted === undefined) keyPersisted = false;
    else Object.assign(secrets, { llmApiKey: encrypted, llmApiKeyOrigin: apiKeyOrigin });
  }
  return {
    document: Object.keys(secrets).length > 0 ? { ...document, secrets } : document,
    keyPersisted,
  };
}

/**
 * A keyed section (the voice's, speech-to-text's) without its providers' keys, and the keys
 * encrypted for `secrets.ttsApiKeys` / `secrets.sttApiKeys`.
 */
function storedProviders(group: ProviderKeyGroup, settings: PipelineSettings, cipher: SecretCipher) {
  const sectionSettings = settings[group.section];
  const providers: Json = { ...sectionSettings.providers };
  const keys: Record<string, { apiKey: string; apiKeyOrigin: string }> = {};
  let keysPersisted = true;
  for (const id of group.ids) {
    const { apiKey, apiKeyOrigin, ...rest } = providers[id] as Json;
    providers[id] = rest;
    if (typeof apiKey !== 'string' || apiKey === '') continue;
    const encrypted = tryEncrypt(cipher, apiKey);
    if (encrypted === undefined) keysPersisted = false;
    else keys[id] = { apiKey: encrypted, apiKeyOrigin: String(apiKeyOrigin) };
  }
  return { section: { ...sectionSettings, providers }, keys, keysPersisted };
}

/**
 * A keyed section's keys from `secrets.ttsApiKeys` / `secrets.sttApiKeys` into the settings. A
 * plain-text key typed into the file is encrypted (or, without secure storage, removed with a
 * note); returns true when the file must be rewritten for that.
 */
function readProviderKeys(
  group: ProviderKeyGroup,
  document: Json,
  settings: PipelineSettings,
  cipher: SecretCipher,
  resetFields: string[],
): boolean {
  let moved = false;
  const secrets = isRecord(document.secrets) ? document.secrets : {};
  const stored = isRecord(secrets[group.secretsKey]) ? (secrets[group.secretsKey] as Json) : {};
  const pipeline = isRecord(document.pipeline) ? document.pipeline : {};
  const section = isRecord(pipeline[group.section]) ? (pipeline[group.section] as Json) : {};
  const inFile = isRecord(section.providers) ? section.providers : {};
  for (const id of group.ids) {
    const slot = group.slot(settings, id);
    slot.apiKey = '';
    slot.apiKeyOrigin = '';
    const plain = isRecord(inFile[id]) ? inFile[id].apiKey : undefined;
    if (plain !== undefined) {
      moved = true;
      if (typeof plain === 'string' && plain !== '' && API_KEY_OK(plain) && cipher.isAvailable()) {
        slot.apiKey = plain;
        slot.apiKeyOrigin = originOf(slot.baseUrl);
      } else if (plain !== '')
        resetFields.push(
          `${group.section}.providers.${id}.apiKey: a plain-text key in the file was removed (not valid, or no secure storage to keep it in)`,
        );
      continue;
    }
    const entry = stored[id];
    if (entry === undefined) continue;
    const lost = (why: string) =>
      resetFields.push(
        `${group.section}.providers.${id}.apiKey: ${why}, so it was reset to empty and must be entered again`,
      );
    if (!isRecord(entry) || typeof entry.apiKey !== 'string') {
      lost('the stored key could not be read');
      continue;
    }
    try {
      const key = cipher.isAvailable() ? cipher.decrypt(entry.apiKey) : undefined;
      if (key === undefined) lost('the stored key could not be decrypted (secure storage is not available)');
      else if (!API_KEY_OK(key)) lost('the decrypted key is not valid');
      else {
        slot.apiKey = key;
        const origin = entry.apiKeyOrigin;
        slot.apiKeyOrigin = typeof origin === 'string' && originOf(origin) === origin ? origin : '';
      }
    } catch {
      lost('the stored key could not be decrypted');
    }
  }
  return moved;
}

const API_KEY_OK = (key: string) => llmSchema.shape.apiKey.safeParse(key).success;

/** A copy of a stored document that is safe to write as a backup: plain-text keys removed. */
export function withoutPlainTextKeys(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const copy = structuredClone(raw);
  for (const holder of [copy, copy.pipeline]) {
    if (isRecord(holder) && isRecord(holder.llm) && has(holder.llm, 'apiKey')) delete holder.llm.apiKey;
    for (const section of ['tts', 'stt']) {
      const providers = isRecord(holder) && isRecord(holder[section]) ? holder[section].providers : undefined;
      if (isRecord(providers))
        for (const settings of Object.values(providers)) if (isRecord(settings)) delete settings.apiKey;
    }
  }
  return copy;
}

/** Settings as sent to the renderer, which must never receive the key. */
export function redactForRenderer(settings: PipelineSettings): RendererSettings {
  const withoutKeys = (group: ProviderKeyGroup) => {
    const providers: Json = { ...settings[group.section].providers };
    const apiKeysSet: Record<string, boolean> = {};
    for (const id of group.ids) {
      apiKeysSet[id] = group.slot(settings, id).apiKey !== '';
      providers[id] = { ...(providers[id] as Json), apiKey: '' };
    }
    return { ...settings[group.section], providers, apiKeysSet };
  };
  return {
    ...settings,
    llm: { ...settings.llm, apiKey: '', apiKeySet: settings.llm.apiKey !== '' },
    tts: withoutKeys(TTS_KEY_GROUP) as RendererSettings['tts'],
    stt: withoutKeys(STT_KEY_GROUP) as RendererSettings['stt'],
  };
}

export type UpdateResult = { ok: true; settings: PipelineSettings } | { ok: false; errors: string[] };

/**
 * Applies a deep-partial patch from the preferences form. The form may send back a whole
 * RendererSettings: its empty `apiKey` leaves the stored key alone and `apiKeySet` is ignored,
 * so only a newly typed key (or `null`, to clear it) changes the key.
 */
export function applyUpdate(current: PipelineSettings, patch: unknown): UpdateResult {
  if (!isRecord(patch)) return { ok: false, errors: ['(root): expected an object of settings sections'] };
  const errors: string[] = [];
  let newKey: string | undefined;
  const candidate: Record<Section, Json> = {
    character: { ...current.character },
    llm: { ...current.llm },
    tts: { ...current.tts },
    streaming: { ...current.streaming },
    listen: { ...current.listen },
    stt: { ...current.stt },
    chat: { ...current.chat },
    phraseCache: { ...current.phraseCache },
    firstSound: { ...current.firstSound },
  };
  // Only schema keys are copied, so unknown keys (and `__proto__`) in the patch go nowhere.
  for (const section of SECTION_NAMES) {
    const part = patch[section];
    if (part === undefined) continue;
    if (!isRecord(part)) {
      errors.push(`${section}: expected an object`);
      continue;
    }
    const keyGroup = PROVIDER_KEY_GROUPS.find((group) => group.section === section);
    if (keyGroup) {
      errors.push(...applyProvidersPatch(keyGroup, candidate[keyGroup.section], part, current));
      continue;
    }
    for (const key of Object.keys(SECTIONS[section].shape)) {
      if (!has(part, key) || part[key] === undefined) continue;
      // Only main binds a key to an origin: on a new key, or by confirmKeyForBaseUrl.
      if (section === 'llm' && key === 'apiKeyOrigin') continue;
      if (section === 'llm' && key === 'apiKey') {
        const value = part.apiKey;
        if (value === null) newKey = '';
        // A line break copied around the key is dropped; one inside it is refused by the schema.
        else if (typeof value === 'string') {
          if (value.trim() !== '') newKey = value.trim();
        } else errors.push('llm.apiKey: expected a string, or null to remove the key');
        continue;
      }
      candidate[section][key] = part[key];
    }
  }
  if (newKey !== undefined) {
    // A new key is for the server it was entered with (the base URL after this very patch).
    const baseUrl = String(candidate.llm.baseUrl);
    const insecure = newKey === '' ? undefined : insecureKeyDestination(baseUrl);
    if (insecure) errors.push(`llm.apiKey: ${insecure}`);
    candidate.llm.apiKey = newKey;
    candidate.llm.apiKeyOrigin = newKey === '' ? '' : originOf(baseUrl);
  }
  errors.push(...describeSettingsErrors(candidate));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, settings: parsePipelineSettings(candidate) };
}

/**
 * A patch of the voice (`tts`) or speech-to-text (`stt`) settings into `target` (a copy of the
 * current ones): each provider's settings are merged field by field, so changing one field keeps
 * the others. A provider's key is handled like the LLM key: '' keeps it, null clears it, a new one
 * is bound to the base URL it was entered with. Returns problems in the form's words.
 */
function applyProvidersPatch(
  group: ProviderKeyGroup,
  target: Json,
  part: Json,
  current: PipelineSettings,
): string[] {
  const errors: string[] = [];
  const name = group.section;
  for (const key of group.plainFields) if (has(part, key) && part[key] !== undefined) target[key] = part[key];
  if (part.providers === undefined) return errors;
  if (!isRecord(part.providers)) return [`${name}.providers: expected an object`];
  const providers: Json = { ...(target.providers as Json) };
  const schemas = (name === 'tts' ? ttsSchema : sttSchema).shape.providers.unwrap().shape;
  for (const [id, schema] of Object.entries(schemas)) {
    const patch = part.providers[id];
    if (patch === undefined) continue;
    if (!isRecord(patch)) {
      errors.push(`${name}.providers.${id}: expected an object`);
      continue;
    }
    const next: Json = { ...(providers[id] as Json) };
    const keyed = group.ids.includes(id);
    let newKey: string | undefined;
    for (const key of Object.keys(nestedObject(schema as z.ZodType)!.shape)) {
      if (!has(patch, key) || patch[key] === undefined) continue;
      if (keyed && key === 'apiKeyOrigin') continue;
      if (keyed && key === 'apiKey') {
        const value = patch.apiKey;
        if (value === null) newKey = '';
        else if (typeof value === 'string') {
          if (value.trim() !== '') newKey = value.trim();
        } else errors.push(`${name}.providers.${id}.apiKey: expected a string, or null to remove the key`);
        continue;
      }
      next[key] = patch[key];
    }
    if (newKey !== undefined) {
      const baseUrl = String(next.baseUrl);
      const insecure = newKey === '' ? undefined : insecureKeyDestination(baseUrl);
      if (insecure) errors.push(`${name}.providers.${id}.apiKey: ${insecure}`);
      next.apiKey = newKey;
      next.apiKeyOrigin = newKey === '' ? '' : originOf(baseUrl);
    } else if (keyed) {
      // The stored key stays bound where it was; key-binding.ts withholds it from another origin.
      const slot = group.slot(current, id);
      next.apiKey = slot.apiKey;
      next.apiKeyOrigin = slot.apiKeyOrigin;
    }
    providers[id] = next;
  }
  target.providers = providers;
  return errors;
}

/**
 * "Use my saved key with <origin>?" answered yes: the stored key is bound to the current base
 * URL's origin. Refused when there is no key, or when the base URL is plain http to another machine.
 */
export function confirmKeyForBaseUrl(current: PipelineSettings): UpdateResult {
  if (current.llm.apiKey === '')
    return { ok: false, errors: ['llm.apiKey: there is no saved API key to use'] };
  const insecure = insecureKeyDestination(current.llm.baseUrl);
  if (insecure) return { ok: false, errors: [`llm.apiKey: ${insecure}`] };
  return {
    ok: true,
    settings: { ...current, llm: { ...current.llm, apiKeyOrigin: originOf(current.llm.baseUrl) } },
  };
}
