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
