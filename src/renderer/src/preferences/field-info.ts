import { z } from 'zod';
import { pipelineSettingsSchema } from '../../../shared/settings';
import { settingLabel } from '../../../shared/settings-view';

/** A section of the settings schema (`phraseCache`, `streaming`, …). */
export type Section = keyof typeof pipelineSettingsSchema.shape;

export interface FieldInfo {
  schema: z.ZodType;
  label: string;
  description: string;
  unit: string;
  min?: number;
  max?: number;
  defaultValue: unknown;
}

const UNITS: [RegExp, string][] = [
  [/Ms$/, 'ms'],
  [/Chars$/, 'characters'],
  [/Bytes$/, 'bytes'],
  [/Seconds$/, 's'],
  [/Mb$/, 'MB'],
  [/^(rate|volume)$/, '%'],
  [/^pitch$/, 'Hz'],
  [/Messages$/, 'messages'],
];

/** The schema of `key` in `object`; a dotted key (`providers.openai.voice`) walks nested settings. */
function fieldSchema(object: z.ZodObject, key: string): z.ZodType {
  const [head, ...rest] = key.split('.');
  const field = object.shape[head!] as z.ZodType;
  if (rest.length === 0) return field;
  const inner = field instanceof z.ZodPrefault ? field.unwrap() : field;
  return fieldSchema(inner as z.ZodObject, rest.join('.'));
}

/** Label, unit, range, default and explanation of a setting, read from the one schema. */
export function fieldInfo(section: Section, path: string): FieldInfo {
  const object = pipelineSettingsSchema.shape[section].unwrap() as unknown as z.ZodObject;
  const schema = fieldSchema(object, path);
  const key = path.split('.').at(-1)!;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    schema,
    label: settingLabel(key),
    description: schema.description ?? '',
    unit: UNITS.find(([pattern]) => pattern.test(key))?.[1] ?? '',
    min: typeof json.minimum === 'number' ? json.minimum : undefined,
    max: typeof json.maximum === 'number' ? json.maximum : undefined,
    defaultValue: json.default,
  };
}

/** Why a value is not accepted, in words; undefined when it is fine. */
export function validationMessage(info: FieldInfo, value: unknown): string | undefined {
  const result = info.schema.safeParse(value);
  if (result.success) return undefined;
  if (typeof value === 'number' && Number.isNaN(value)) return 'Enter a number.';
  if (info.min !== undefined && info.max !== undefined && typeof value === 'number') {
    return `Must be ${Number.isInteger(info.min) && Number.isInteger(info.max) && !Number.isInteger(value) ? 'a whole number ' : ''}between ${info.min} and ${info.max}${info.unit ? ` ${info.unit}` : ''}.`;
  }
  return result.error.issues[0]?.message ?? 'Not a valid value.';
}
