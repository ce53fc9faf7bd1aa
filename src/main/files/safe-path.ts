import { realpath } from 'node:fs/promises';
import { isAbsolute, normalize, relative, resolve } from 'node:path';

/** `root`/`requested`, or undefined when the request would leave `root` (../, absolute paths). */
export function resolveInside(root: string, requested: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requested);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  const target = normalize(resolve(base, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`));
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return target;
}

/**
 * `file` (already inside `root` by name, see resolveInside) once every symbolic link on the way
 * is followed, or undefined when that real path leaves the real `root`, or does not exist. A
 * link in a model folder may point anywhere on disk; only what really lies inside is served.
 */
export async function realPathInside(root: string, file: string): Promise<string | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    const rel = relative(realRoot, realFile);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return realFile;
  } catch {
    return undefined;
  }
}
