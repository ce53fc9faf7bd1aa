import { readdirSync } from 'node:fs';

/**
 * The model file of a Live2D model folder: a Cubism 4/5 `*.model3.json` first, then a Cubism 2
 * `*.model.json` / `model.json`. Undefined when the folder holds neither.
 */
export function findModelEntry(folder: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  return (
    names.find((n) => n.endsWith('.model3.json')) ??
    names.find((n) => n.endsWith('.model.json')) ??
    names.find((n) => n === 'model.json')
  );
}
