import { z } from 'zod';

/**
 * What a model does for each emotion the reply is tagged with: one of its expressions and/or one
 * of its motion groups (a random motion of the group plays). Kept per model, since every model
 * names its expressions and motions its own way.
 */

/** The emotions the persona asks the model to tag its reply with, by default. */
export const DEFAULT_EMOTIONS = ['joy', 'sad', 'angry', 'surprised', 'thinking', 'shy', 'neutral'] as const;

/** Expression and motion names are the model file's own (short, printable). */
const modelName = z
  .string()
  .min(1)
  .max(64)
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20), 'no control characters');

export const emotionActionSchema = z
  .object({
    expression: modelName.optional(),
    /** A motion group of the model (e.g. tap_body); a random motion of it plays. */
    motion: modelName.optional(),
  })
  .strict();
export type EmotionAction = z.infer<typeof emotionActionSchema>;

/** Emotion names as tags carry them: lower case, short. */
export const emotionNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'an emotion name like "joy"');

export const emotionMapSchema = z
  .record(emotionNameSchema, emotionActionSchema)
  .refine((map) => Object.keys(map).length <= 32, 'at most 32 emotions');
export type EmotionMap = z.infer<typeof emotionMapSchema>;

/** Maps of every model the user set one for, by model key; at most this many models are kept. */
export const MAX_MODELS_WITH_MAPS = 32;
export const emotionMapsSchema = z
  .record(z.string().max(4096), emotionMapSchema)
  .refine(
    (maps) => Object.keys(maps).length <= MAX_MODELS_WITH_MAPS,
    `at most ${MAX_MODELS_WITH_MAPS} models`,
  );
export type EmotionMaps = z.infer<typeof emotionMapsSchema>;

/**
 * The bundled model (Shizuku, Cubism 2). Its expressions: f01 her plain face, f02 gloomy with the
 * eyes cast down, f03 frowning, f04 sparkling eyes and a blush. Its motions carry recorded voice
 * lines, which Kiyo does not play (config.sound is off), so only the movement shows.
 */
export const BUILT_IN_EMOTION_MAP: Readonly<EmotionMap> = Object.freeze({
  joy: { expression: 'f04' },
  sad: { expression: 'f02' },
  angry: { expression: 'f03', motion: 'shake' },
  surprised: { expression: 'f04', motion: 'flick_head' },
  thinking: { expression: 'f02' },
  shy: { expression: 'f04', motion: 'tap_body' },
  neutral: { expression: 'f01' },
});

/** The key a model's map is kept under: '' for the bundled model, else its folder. */
export function modelKeyOf(state: { modelFolder: string; modelEntry: string }): string {
  return state.modelEntry ? state.modelFolder : '';
}

/** The map in force for the model shown: the user's, else the bundled defaults, else none. */
export function emotionMapFor(state: {
  modelFolder: string;
  modelEntry: string;
  emotionMaps: EmotionMaps;
}): EmotionMap {
  const key = modelKeyOf(state);
  return state.emotionMaps[key] ?? (key === '' ? BUILT_IN_EMOTION_MAP : {});
}

/** What a model offers to map to, read from its model file (main) or from the loaded model (page). */
export interface ModelCatalog {
  expressions: string[];
  motions: string[];
}

/** Drops the oldest maps beyond the limit (the current model's is set last, so it stays). */
export function withEmotionMap(
  state: { modelFolder: string; modelEntry: string; emotionMaps: EmotionMaps },
  map: EmotionMap,
): EmotionMaps {
  const key = modelKeyOf(state);
  const others = Object.entries(state.emotionMaps).filter(([k]) => k !== key);
  return Object.fromEntries([...others.slice(-(MAX_MODELS_WITH_MAPS - 1)), [key, map]]);
}

/**
 * Stored maps, kept entry by entry: a hand-edited or damaged emotion loses that emotion only, a
 * damaged model entry that model's map only; never the others.
 */
export function parseEmotionMaps(raw: unknown): { value: EmotionMaps; problems: string[] } {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { value: {}, problems: ['emotionMaps: not an object'] };
  const value: EmotionMaps = {};
  for (const [model, map] of Object.entries(raw).slice(-MAX_MODELS_WITH_MAPS)) {
    const where = `emotionMaps[${JSON.stringify(model || 'built in')}]`;
    if (model.length > 4096 || typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push(`${where}: not a map`);
      continue;
    }
    const kept: EmotionMap = {};
    for (const [emotion, action] of Object.entries(map).slice(0, 32)) {
      const name = emotionNameSchema.safeParse(emotion);
      const parsed = emotionActionSchema.safeParse(action);
      if (name.success && parsed.success) kept[emotion] = parsed.data;
      else
        problems.push(
          `${where}.${emotion.slice(0, 40)}: ${[...(name.error?.issues ?? []), ...(parsed.error?.issues ?? [])].map((i) => i.message).join(', ')}`,
        );
    }
    value[model] = kept;
  }
  return { value, problems };
}
