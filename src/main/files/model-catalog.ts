import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelCatalog } from '../../shared/emotion-map';
import { realPathInside, resolveInside } from './safe-path';

/** Where the page finds the bundled model, relative to the renderer folder (live2d-avatar.ts). */
export const BUILT_IN_MODEL_FILE = 'models/shizuku/shizuku.model.json';
/** Model files are small (names and paths); anything bigger is not one. */
const MAX_MODEL_FILE_BYTES = 2 * 1024 * 1024;
const MAX_NAMES = 500;

/** The model file of the model shown: the bundled one, or the entry inside the user's folder. */
export async function modelFileOf(
  state: { modelFolder: string; modelEntry: string },
  rendererRoot: string,
): Promise<string | undefined> {
  if (!state.modelEntry) return join(rendererRoot, BUILT_IN_MODEL_FILE);
  const file = resolveInside(state.modelFolder, state.modelEntry);
  return file && (await realPathInside(state.modelFolder, file));
}

const names = (values: unknown[]): string[] =>
  [
    ...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64)),
  ].slice(0, MAX_NAMES);

/**
 * The expression names and motion groups a model file declares: Cubism 2 `*.model.json`
 * (`expressions[].name`, `motions`) or Cubism 4/5 `*.model3.json` (`FileReferences.Expressions[].Name`,
 * `FileReferences.Motions`). Throws an Error with a plain sentence for a file that is missing,
 * too big or not a model file.
 */
export async function readModelCatalog(file: string): Promise<ModelCatalog> {
  let json: unknown;
  try {
    if ((await stat(file)).size > MAX_MODEL_FILE_BYTES) throw new Error('too big');
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`The avatar's model file could not be read (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if (typeof json !== 'object' || json === null)
    throw new Error("The avatar's model file is not a Live2D model.");
  const model = json as Record<string, unknown>;
  const refs = (model.FileReferences ?? {}) as Record<string, unknown>;
  const cubism4 = typeof model.FileReferences === 'object' && model.FileReferences !== null;
  // A model file names its moc: `model` (Cubism 2) or FileReferences.Moc (Cubism 4/5).
  if (Array.isArray(json) || (typeof model.model !== 'string' && typeof refs.Moc !== 'string'))
    throw new Error("The avatar's model file is not a Live2D model.");
  const expressions = (cubism4 ? refs.Expressions : model.expressions) ?? [];
  const motions = (cubism4 ? refs.Motions : model.motions) ?? {};
  if (
    !Array.isArray(expressions) ||
    typeof motions !== 'object' ||
    motions === null ||
    Array.isArray(motions)
  )
    throw new Error("The avatar's model file lists its expressions or motions in a form Kiyo does not know.");
  return {
    expressions: names(
      expressions.map((e) => (e as Record<string, unknown> | null)?.[cubism4 ? 'Name' : 'name']),
    ),
    motions: names(
      Object.entries(motions)
        .filter(([, list]) => Array.isArray(list) && list.length > 0)
        .map(([group]) => group),
    ),
  };
}
