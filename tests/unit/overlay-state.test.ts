import { describe, expect, it } from 'vitest';
import {
  clampScale,
  createMemoryOverlayStateStore,
  DEFAULT_OVERLAY_STATE,
  parseOverlayState,
  parseSavedBounds,
} from '../../src/main/shell/overlay-state';

describe('parseOverlayState', () => {
  it('gives the defaults for a first run, without complaining', () => {
    expect(parseOverlayState(undefined)).toEqual({
      value: {
        chatInputVisible: true,
        clickThrough: false,
        subtitles: true,
        scale: 1,
        alwaysOnTop: true,
        modelFolder: '',
        modelEntry: '',
        frameRateCap: 30,
        renderScale: 1,
        lightLipSync: true,
        streamStatus: false,
        emotionMaps: {},
      },
      problems: [],
    });
  });

  it('keeps a valid stored state and drops unknown keys', () => {
    const stored = { chatInputVisible: false, clickThrough: true, subtitles: false, scale: 1.5, legacy: 'x' };
    expect(parseOverlayState(stored)).toEqual({
      value: {
        chatInputVisible: false,
        clickThrough: true,
        subtitles: false,
        scale: 1.5,
        alwaysOnTop: true,
        modelFolder: '',
        modelEntry: '',
        frameRateCap: 30,
        renderScale: 1,
        lightLipSync: true,
        streamStatus: false,
        emotionMaps: {},
      },
      problems: [],
    });
  });

  it('replaces only the invalid fields, and says which', () => {
    const { value, problems } = parseOverlayState({ clickThrough: true, scale: 10, subtitles: 'yes' });
    expect(value).toEqual({ ...DEFAULT_OVERLAY_STATE, clickThrough: true });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^overlay\.subtitles: /);
    expect(problems[1]).toMatch(/^overlay\.scale: /);
  });

  it('replaces a frame-rate cap that is not offered and a render scale out of range', () => {
    const { value, problems } = parseOverlayState({ frameRateCap: 45, renderScale: 2, clickThrough: true });
    expect(value).toEqual({ ...DEFAULT_OVERLAY_STATE, clickThrough: true });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['overlay.frameRateCap', 'overlay.renderScale']);
    expect(parseOverlayState({ frameRateCap: 15, renderScale: 0.5 }).value).toMatchObject({
      frameRateCap: 15,
      renderScale: 0.5,
    });
  });

  it('keeps light lip sync turned off, and replaces a value that is not a switch with the default (on)', () => {
    expect(parseOverlayState({ lightLipSync: false })).toEqual({
      value: { ...DEFAULT_OVERLAY_STATE, lightLipSync: false },
      problems: [],
    });
    const { value, problems } = parseOverlayState({ lightLipSync: 'off', clickThrough: true });
    expect(value).toEqual({ ...DEFAULT_OVERLAY_STATE, clickThrough: true, lightLipSync: true });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['overlay.lightLipSync']);
  });

  it('fills fields missing from an older file with their defaults', () => {
    expect(parseOverlayState({ clickThrough: true })).toEqual({
      value: { ...DEFAULT_OVERLAY_STATE, clickThrough: true },
      problems: [],
    });
  });

  it('uses the defaults when the stored value is not an object', () => {
    for (const raw of [null, 'on', 3, [true]]) {
      const { value, problems } = parseOverlayState(raw);
      expect(value).toEqual(DEFAULT_OVERLAY_STATE);
      expect(problems).toEqual(['overlay: not an object']);
    }
  });

  it('never hands out the frozen defaults object', () => {
    const { value } = parseOverlayState(undefined);
    value.scale = 2;
    expect(DEFAULT_OVERLAY_STATE.scale).toBe(1);
  });
});

describe('parseSavedBounds', () => {
  it('accepts whole-pixel bounds with or without a display id', () => {
    expect(parseSavedBounds({ x: -10, y: 5, width: 400, height: 600, displayId: 2779098405 })).toEqual({
      value: { x: -10, y: 5, width: 400, height: 600, displayId: 2779098405 },
      problems: [],
    });
    expect(parseSavedBounds({ x: 0, y: 0, width: 1, height: 1 }).value).toEqual({
      x: 0,
      y: 0,
      width: 1,
      height: 1,
    });
  });

  it('treats missing bounds as nothing saved', () => {
    expect(parseSavedBounds(undefined)).toEqual({ value: undefined, problems: [] });
  });

  it('rejects broken bounds with a reason', () => {
    for (const raw of [
      { x: 0, y: 0, width: 0, height: 600 },
      { x: '1', y: 0, width: 4, height: 6 },
      'x',
      null,
    ]) {
      const { value, problems } = parseSavedBounds(raw);
      expect(value).toBeUndefined();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^bounds: /);
    }
  });
});

describe('clampScale', () => {
  it('keeps the scale between 0.3 and 3, in hundredths', () => {
    expect(clampScale(1.234, 1)).toBe(1.23);
    expect(clampScale(0.1, 1)).toBe(0.3);
    expect(clampScale(12, 1)).toBe(3);
    expect(clampScale(Number.NaN, 1.5)).toBe(1.5);
    expect(clampScale(Number.POSITIVE_INFINITY, 1.5)).toBe(1.5);
  });
});

describe('createMemoryOverlayStateStore', () => {
  it('round-trips copies, so callers cannot change what is stored', () => {
    const store = createMemoryOverlayStateStore();
    expect(store.loadOverlay()).toEqual(DEFAULT_OVERLAY_STATE);
    expect(store.loadBounds()).toBeUndefined();
    const bounds = { x: 1, y: 2, width: 3, height: 4, displayId: 5 };
    store.saveBounds(bounds);
    bounds.x = 99;
    expect(store.loadBounds()).toEqual({ x: 1, y: 2, width: 3, height: 4, displayId: 5 });
    const state = { ...DEFAULT_OVERLAY_STATE, clickThrough: true };
    store.saveOverlay(state);
    state.clickThrough = false;
    expect(store.loadOverlay().clickThrough).toBe(true);
  });
});
