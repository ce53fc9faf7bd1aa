import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { realPathInside } from '../../src/main/files/safe-path';

/** The file-protocol handler the app registers, and what it asked Electron to fetch. */
const electron = vi.hoisted(() => ({
  handler: undefined as ((request: { url: string }) => Promise<Response>) | undefined,
  fetched: [] as string[],
}));
vi.mock('electron', () => ({
  protocol: {
    handle: (_scheme: string, handler: (request: { url: string }) => Promise<Response>) => {
      electron.handler = handler;
    },
  },
  net: {
    fetch: async (input: string | { url: string }) => {
      electron.fetched.push(typeof input === 'string' ? input : input.url);
      return new Response('ok');
    },
  },
}));
const { serveCustomModel } = await import('../../src/main/shell/model-protocol');

const dir = mkdtempSync(join(tmpdir(), 'kiyo-model-links-'));
const model = join(dir, 'model');
mkdirSync(model);
mkdirSync(join(dir, 'outside'));
writeFileSync(join(dir, 'outside', 'secret.txt'), 'top secret');
writeFileSync(join(model, 'haru.model3.json'), '{}');
symlinkSync(join(dir, 'outside', 'secret.txt'), join(model, 'leak.txt'));
symlinkSync(join(dir, 'outside'), join(model, 'linked-dir'));
symlinkSync('haru.model3.json', join(model, 'alias.json'));

describe('symbolic links in the model folder', () => {
  it('realPathInside follows links and refuses those that lead out', async () => {
    // The links are real and readable: the attack would work without the check.
    expect(readFileSync(join(model, 'leak.txt'), 'utf8')).toBe('top secret');
    expect(await realPathInside(model, join(model, 'leak.txt'))).toBeUndefined();
    expect(await realPathInside(model, join(model, 'linked-dir', 'secret.txt'))).toBeUndefined();
    expect(await realPathInside(model, join(model, 'missing.json'))).toBeUndefined();
    expect(await realPathInside(model, join(model, 'alias.json'))).toMatch(/haru\.model3\.json$/);
    expect(await realPathInside(model, join(model, 'haru.model3.json'))).toMatch(/haru\.model3\.json$/);
  });

  it('the overlay window cannot load a file a link points to outside the folder', async () => {
    serveCustomModel(() => model);
    const page = 'file:///opt/Kiyo/out/renderer';
    for (const name of ['leak.txt', 'linked-dir/secret.txt']) {
      const response = await electron.handler!({ url: `${page}/custom-model/${name}` });
      expect(response.status, name).toBe(404);
    }
    expect(electron.fetched).toEqual([]);
    const ok = await electron.handler!({ url: `${page}/custom-model/alias.json` });
    expect(ok.status).toBe(200);
    expect(electron.fetched).toHaveLength(1);
    expect(electron.fetched[0]).toMatch(/\/haru\.model3\.json$/);
  });
});
