import { z } from 'zod';
import { pipelineSettingsSchema } from './settings';

interface FieldDoc {
  key: string;
  type: string;
  range: string;
  default: string;
  description: string;
}

function describeField(key: string, field: z.ZodType): FieldDoc {
  const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const range =
    json.minimum !== undefined || json.maximum !== undefined
      ? `${json.minimum ?? '…'} – ${json.maximum ?? '…'}`
      : Array.isArray(json.enum)
        ? json.enum.map((v) => `\`${String(v)}\``).join(', ')
        : '';
  const value = json.default;
  const shown =
    typeof value === 'string' && value.length > 40 ? `${value.slice(0, 37)}…` : JSON.stringify(value);
  return {
    key,
    type: String(json.type ?? 'enum'),
    range,
    default: value === undefined ? '' : `\`${shown}\``,
    description: field.description ?? '',
  };
}

/** One table row per setting; nested settings (each voice provider's) get their dotted path. */
function fieldRows(prefix: string, object: z.ZodObject): string[] {
  return Object.entries(object.shape).flatMap(([key, field]) => {
    const inner = field instanceof z.ZodPrefault ? field.unwrap() : field;
    if (inner instanceof z.ZodObject) return fieldRows(`${prefix}.${key}`, inner);
    const d = describeField(key, field as z.ZodType);
    return [`| \`${prefix}.${d.key}\` | ${d.type} | ${d.range} | ${d.default} | ${d.description} |`];
  });
}

/** docs/settings.md, generated from the schema so the two never disagree. */
export function settingsMarkdown(): string {
  const lines = [
    '# Settings',
    '',
    'Generated from `src/shared/settings.ts` (`npm run docs:settings`); the schema is the source of truth.',
    'Every setting is validated with the same schema in the app, the CLI and the benchmark; invalid',
    'values are rejected with a message naming the setting.',
    '',
  ];
  for (const [group, wrapped] of Object.entries(pipelineSettingsSchema.shape)) {
    const object = (wrapped as unknown as { unwrap(): z.ZodObject }).unwrap();
    lines.push(
      `## ${group}`,
      '',
      '| setting | type | range | default | what it does |',
      '| --- | --- | --- | --- | --- |',
    );
    lines.push(...fieldRows(group, object), '');
  }
  lines.push(
    '## Not a setting: a fixed "processing delay"',
    '',
    'Some streaming TTS front-ends offer a fixed delay before speaking starts, to "smooth" playback.',
    'Kiyo has none on purpose: a fixed delay only adds latency. Gap-free playback comes instead from',
    'synthesising segments ahead in parallel (`streaming.synthesisAhead`) and from the first-segment',
    'rules (`firstSegmentMinChars`, `firstSegmentMaxChars`, `firstSegmentBudgetMs`), which decide how',
    'much text to wait for — the only waiting that buys anything (a natural-sounding first clause).',
    '',
  );
  return lines.join('\n');
}
