import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the app's pages come from: its own built renderer folder, or the dev server in development. */
export interface RendererLocation {
  /** The built pages (out/renderer), as a path. */
  dir: string;
  /** `npm run dev`'s renderer server; never set in the packaged app. */
  devServer?: string;
}

/**
 * ELECTRON_RENDERER_URL is electron-vite's development switch. In the packaged app anyone who
 * can set an environment variable could otherwise point Kiyo's windows, preload bridge
 * included, at any site; there it is ignored.
 */
export function rendererLocation(options: {
  isPackaged: boolean;
  dir: string;
  env?: NodeJS.ProcessEnv;
}): RendererLocation {
  const devServer = (options.env ?? process.env).ELECTRON_RENDERER_URL;
  if (options.isPackaged || !devServer || !URL.canParse(devServer)) return { dir: options.dir };
  return { dir: options.dir, devServer: devServer.replace(/\/+$/, '') };
}

/** The file (or dev-server URL) that shows `page`. */
export function pageSource(location: RendererLocation, page: string): { url: string } | { file: string } {
  return location.devServer ? { url: `${location.devServer}/${page}` } : { file: join(location.dir, page) };
}

/**
 * True when `url` is one of the app's own pages (`page` when given): a file directly in the
 * app's own renderer folder, or a page of the dev server in development. Query and hash do not
 * count; another folder that happens to be called renderer does not either.
 */
export function isOwnPage(location: RendererLocation, url: string, page?: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  if (location.devServer) {
    const dev = new URL(`${location.devServer}/`);
    if (parsed.origin === dev.origin && parsed.pathname.startsWith(dev.pathname)) {
      const name = parsed.pathname.slice(dev.pathname.length);
      if (/^[\w-]+\.html$/.test(name) && (page === undefined || name === page)) return true;
    }
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  let path: string;
  try {
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const rel = relative(location.dir, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.includes('/') || rel.includes('\\'))
    return false;
  return page === undefined ? rel.endsWith('.html') : rel === page;
}
