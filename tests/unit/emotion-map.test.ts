import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readModelCatalog } from '../../src/main/files/model-catalog';
import { parseOverlayState } from '../../src/main/shell/overlay-state';
import {
  BUILT_IN_EMOTION_MAP,
  emotionMapFor,
  MAX_MODELS_WITH_MAPS,
  withEmotionMap,
} from '../../src/shared/emotion-map';
import { DEFAULT_OVERLAY_STATE } from '../../src/shared/ipc';
import { overlayPatchSchema } from '../../src/shared/preferences-api';

const shizuku = join(
  dirname(createRequire(import.meta.url).resolve('live2d-widget-model-shizuku/package.json')),
  'assets/shizuku.model.json',
);

describe('emotion maps, per model', () => {
  const builtIn = { ...DEFAULT_OVERLAY_STATE };
  const haru = { ...DEFAULT_OVERLAY_STATE, modelFolder: '/models/haru', modelEntry: 'haru.model3.json' };

  it('the bundled model has defaults; a model the user brought has none until set', () => {
    expect(emotionMapFor(builtIn)).toEqual(BUILT_IN_EMOTION_MAP);
    expect(emotionMapFor(haru)).toEqual({});
  });

  it("setting one model's map keeps every other model's", () => {
    const mine = { joy: { expression: 'Smile' } };
    const withHaru = { ...haru, emotionMaps: withEmotionMap(haru, mine) };
    const back = { ...withHaru, modelFolder: '', modelEntry: '' };
    const withBuiltIn = { ...back, emotionMaps: withEmotionMap(back, { sad: { motion: 'shake' } }) };
    expect(emotionMapFor(withBuiltIn)).toEqual({ sad: { motion: 'shake' } });
    expect(
      emotionMapFor({ ...withBuiltIn, modelFolder: haru.modelFolder, modelEntry: haru.modelEntry }),
    ).toEqual(mine);
  });

  it(`keeps at most ${MAX_MODELS_WITH_MAPS} models, dropping the oldest, never the current one`, () => {
    let state = { ...haru };
    for (let i = 0; i < MAX_MODELS_WITH_MAPS + 5; i++) {
      state = { ...state, modelFolder: `/models/m${i}` };
      state = { ...state, emotionMaps: withEmotionMap(state, { joy: { expression: `e${i}` } }) };
    }
    const keys = Object.keys(state.emotionMaps);
    expect(keys).toHaveLength(MAX_MODELS_WITH_MAPS);
    expect(keys).not.toContain('/models/m0');
    expect(emotionMapFor(state)).toEqual({ joy: { expression: `e${MAX_MODELS_WITH_MAPS + 4}` } });
  });

  it('are persisted with the overlay state and read back as they were', () => {
    const stored = { ...haru, emotionMaps: { '': { joy: { expression: 'f04', motion: 'tap_body' } } } };
    expect(parseOverlayState(JSON.parse(JSON.stringify(stored)))).toEqual({ value: stored, problems: [] });
  });

  it('a damaged stored entry costs that emotion only, and is reported', () => {
    const { value, problems } = parseOverlayState({
      emotionMaps: {
        '': { joy: { expression: 'f04' }, sad: { expression: 42 }, 'Bad Name': { motion: 'shake' } },
        '/models/haru': { angry: { motion: 'Shake', extra: true }, shy: { expression: 'Blush' } },
        '/models/broken': 'not a map',
      },
    });
    expect(value.emotionMaps).toEqual({
      '': { joy: { expression: 'f04' } },
      '/models/haru': { shy: { expression: 'Blush' } },
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/emotionMaps\["built in"\]\.sad/);
    expect(problems.join('\n')).toMatch(/emotionMaps\["\/models\/broken"\]: not a map/);
    // The rest of the overlay state is untouched.
    expect(value.scale).toBe(DEFAULT_OVERLAY_STATE.scale);
  });

  it('Preferences may only send a valid map', () => {
    expect(overlayPatchSchema.safeParse({ emotionMap: { joy: { expression: 'f04' } } }).success).toBe(true);
    for (const bad of [
      { JOY: { expression: 'f04' } },
      { joy: { expression: '' } },
      { joy: { expression: 'x'.repeat(65) } },
      { joy: { expression: 'a\u0007b' } },
      { joy: { sound: 'x.mp3' } },
      Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`e${i}`, { motion: 'idle' }])),
    ])
      expect(
        overlayPatchSchema.safeParse({ emotionMap: bad }).success,
        JSON.stringify(bad).slice(0, 60),
      ).toBe(false);
  });
});

describe("a model's expressions and motions, from its model file", () => {
  it('the bundled Cubism 2 model: its four expressions and every motion group, and the defaults use only those', async () => {
    const catalog = await readModelCatalog(shizuku);
    expect(catalog.expressions).toEqual(['f01', 'f02', 'f03', 'f04']);
    expect(catalog.motions).toEqual(['idle', 'tap_body', 'pinch_in', 'pinch_out', 'shake', 'flick_head']);
    for (const action of Object.values(BUILT_IN_EMOTION_MAP)) {
      if (action.expression) expect(catalog.expressions).toContain(action.expression);
      if (action.motion) expect(catalog.motions).toContain(action.motion);
    }
  });

  it('a Cubism 4 model3.json', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kiyo-model-'));
    const file = join(folder, 'haru.model3.json');
    writeFileSync(
      file,
      JSON.stringify({
        Version: 3,
        FileReferences: {
          Moc: 'haru.moc3',
          Expressions: [
            { Name: 'Smile', File: 'e/smile.exp3.json' },
            { Name: 'Angry', File: 'e/angry.exp3.json' },
          ],
          Motions: {
            Idle: [{ File: 'm/idle.motion3.json' }],
            TapBody: [{ File: 'm/tap.motion3.json' }],
            Empty: [],
          },
        },
      }),
    );
    expect(await readModelCatalog(file)).toEqual({
      expressions: ['Smile', 'Angry'],
      motions: ['Idle', 'TapBody'],
    });
  });

  it.each([
    ['missing', undefined],
    ['not JSON', '{"expressions": ['],
    ['not a model', '[1, 2, 3]'],
    ['expressions in an unknown form', '{"expressions": "f01", "motions": {}}'],
  ])('a file that is %s fails with a plain sentence', async (_what, content) => {
    const folder = mkdtempSync(join(tmpdir(), 'kiyo-model-'));
    const file = join(folder, 'model.json');
    if (content !== undefined) writeFileSync(file, content);
    await expect(readModelCatalog(file)).rejects.toThrow(/^The avatar's model file /);
  });
});
