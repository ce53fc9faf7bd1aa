import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { realPathInside, resolveInside } from '../files/safe-path';

/**
 * The overlay page (file://…/renderer/index.html) loads a user's model from the relative URL
 * custom-model/…; this maps exactly that folder, and nothing outside it, to the chosen model
 * folder. Every other file request passes through untouched.
 */
export function serveCustomModel(modelFolder: () => string): void {
  protocol.handle('file', async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    const marker = '/renderer/custom-model/';
    const at = path.indexOf(marker);
    if (at >= 0) {
      const folder = modelFolder();
      const file = folder ? resolveInside(folder, path.slice(at + marker.length)) : undefined;
      // A symbolic link in the model folder must not reach the rest of the disk.
      const real = folder && file ? await realPathInside(folder, file) : undefined;
      if (!real) return new Response('not found', { status: 404 });
      return net.fetch(pathToFileURL(real).toString(), { bypassCustomProtocolHandlers: true });
    }
    return net.fetch(request, { bypassCustomProtocolHandlers: true });
  });
}
