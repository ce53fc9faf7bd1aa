import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findModelEntry } from '../../src/main/files/model-folder';
import { resolveInside } from '../../src/main/files/safe-path';

describe('resolveInside', () => {
  it('resolves files inside the folder', () => {
    expect(resolveInside('/models/a', 'moc/x.moc')).toBe('/models/a/moc/x.moc');
    expect(resolveInside('/models/a', '/tex%20ture.png')).toBe('/models/a/tex ture.png');
  });
  it.each(['../b/secret', '..%2F..%2Fetc%2Fpasswd', 'moc/../../b', '', '%00', '%E0%A4%A'])(
    'refuses %j',
    (path) => {
      expect(resolveInside('/models/a', path)).toBeUndefined();
    },
  );
});

describe('findModelEntry', () => {
  it('prefers a Cubism 4 model3.json, then a Cubism 2 model.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiyo-model-'));
    expect(findModelEntry(dir)).toBeUndefined();
    writeFileSync(join(dir, 'haru.model.json'), '{}');
    expect(findModelEntry(dir)).toBe('haru.model.json');
    writeFileSync(join(dir, 'haru.model3.json'), '{}');
    expect(findModelEntry(dir)).toBe('haru.model3.json');
    mkdirSync(join(dir, 'sub'));
    expect(findModelEntry(join(dir, 'missing'))).toBeUndefined();
  });
});
