import { describe, expect, it } from 'vitest';
import {
  clampToDisplays,
  EDGE_MARGIN,
  isMostlyVisible,
  type DisplayArea,
} from '../../src/main/shell/window-bounds';

const SIZE = { width: 400, height: 600 };
// 1920×1080 primary with a 40 px taskbar at the bottom.
const primary: DisplayArea = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
// A second monitor to the left of the primary: negative x, and taller.
const left: DisplayArea = { id: 2, workArea: { x: -2560, y: -200, width: 2560, height: 1440 } };
const small: DisplayArea = { id: 3, workArea: { x: 1920, y: 0, width: 1024, height: 500 } };

describe('clampToDisplays', () => {
  it('keeps a saved position that is on a display that still exists', () => {
    const saved = { x: 100, y: 200, width: 400, height: 600, displayId: 1 };
    expect(clampToDisplays(saved, [primary, left], 1, SIZE)).toEqual({
      x: 100,
      y: 200,
      width: 400,
      height: 600,
    });
  });

  it('pulls a window that is partly off-screen back inside its display', () => {
    const offRight = { x: 1800, y: 900, width: 400, height: 600, displayId: 1 };
    expect(clampToDisplays(offRight, [primary], 1, SIZE)).toEqual({
      x: 1520,
      y: 440,
      width: 400,
      height: 600,
    });
    const offTopLeft = { x: -150, y: -80, width: 400, height: 600, displayId: 1 };
    expect(clampToDisplays(offTopLeft, [primary], 1, SIZE)).toEqual({ x: 0, y: 0, width: 400, height: 600 });
  });

  it('puts the window at the bottom-right of the primary display when its display is gone', () => {
    const onUnplugged = { x: 3000, y: 100, width: 500, height: 700, displayId: 99 };
    expect(clampToDisplays(onUnplugged, [primary, left], 1, SIZE)).toEqual({
      x: 1920 - 400 - EDGE_MARGIN,
      y: 1040 - 600 - EDGE_MARGIN,
      width: 400,
      height: 600,
    });
  });

  it('uses the default placement when nothing was saved', () => {
    expect(clampToDisplays(undefined, [left, primary], 1, SIZE)).toEqual({
      x: 1496,
      y: 416,
      width: 400,
      height: 600,
    });
  });

  it('follows the primary display wherever it is', () => {
    expect(clampToDisplays(undefined, [primary, left], 2, SIZE)).toEqual({
      x: -400 - EDGE_MARGIN,
      y: -200 + 1440 - 600 - EDGE_MARGIN,
      width: 400,
      height: 600,
    });
  });

  it('shrinks a window that is larger than the work area', () => {
    const huge = { x: 1900, y: -50, width: 1600, height: 900, displayId: 3 };
    expect(clampToDisplays(huge, [primary, small], 1, SIZE)).toEqual({
      x: 1920,
      y: 0,
      width: 1024,
      height: 500,
    });
  });

  it('shrinks the default size on a small primary display and keeps the margin', () => {
    const tiny: DisplayArea = { id: 1, workArea: { x: 0, y: 0, width: 1024, height: 540 } };
    const placed = clampToDisplays(undefined, [tiny], 1, SIZE);
    expect(placed).toEqual({
      x: 1024 - 400 - EDGE_MARGIN,
      y: EDGE_MARGIN,
      width: 400,
      height: 540 - 2 * EDGE_MARGIN,
    });
  });

  it('keeps windows on a monitor with negative coordinates left of the primary', () => {
    const saved = { x: -2000, y: -150, width: 400, height: 600, displayId: 2 };
    expect(clampToDisplays(saved, [primary, left], 1, SIZE)).toEqual({
      x: -2000,
      y: -150,
      width: 400,
      height: 600,
    });
    const pastTop = { x: -300, y: -500, width: 400, height: 600, displayId: 2 };
    expect(clampToDisplays(pastTop, [primary, left], 1, SIZE)).toEqual({
      x: -400,
      y: -200,
      width: 400,
      height: 600,
    });
    const pastBottom = { x: -2700, y: 1000, width: 400, height: 600, displayId: 2 };
    expect(clampToDisplays(pastBottom, [primary, left], 1, SIZE)).toEqual({
      x: -2560,
      y: 640,
      width: 400,
      height: 600,
    });
  });

  it('accepts bounds saved without a display id only where they are mostly visible', () => {
    const mostlyOnLeft = { x: -350, y: 0, width: 400, height: 600 };
    expect(clampToDisplays(mostlyOnLeft, [primary, left], 1, SIZE)).toEqual({
      x: -400,
      y: 0,
      width: 400,
      height: 600,
    });
    const nowhere = { x: 10_000, y: 10_000, width: 400, height: 600 };
    expect(clampToDisplays(nowhere, [primary, left], 1, SIZE)).toEqual({
      x: 1496,
      y: 416,
      width: 400,
      height: 600,
    });
  });

  it('ignores unusable saved bounds and rounds fractional ones', () => {
    const broken = { x: Number.NaN, y: 0, width: 400, height: 600, displayId: 1 };
    expect(clampToDisplays(broken, [primary], 1, SIZE)).toEqual({ x: 1496, y: 416, width: 400, height: 600 });
    const zero = { x: 0, y: 0, width: 0, height: 600, displayId: 1 };
    expect(clampToDisplays(zero, [primary], 1, SIZE)).toEqual({ x: 1496, y: 416, width: 400, height: 600 });
    const fractional = { x: 10.4, y: 20.6, width: 399.5, height: 600.2, displayId: 1 };
    expect(clampToDisplays(fractional, [primary], 1, SIZE)).toEqual({
      x: 10,
      y: 21,
      width: 400,
      height: 600,
    });
  });

  it('falls back to the first display when the primary id is unknown, and to the origin with none', () => {
    expect(clampToDisplays(undefined, [primary], 42, SIZE)).toEqual({
      x: 1496,
      y: 416,
      width: 400,
      height: 600,
    });
    expect(clampToDisplays(undefined, [], 1, SIZE)).toEqual({ x: 0, y: 0, width: 400, height: 600 });
  });
});

describe('isMostlyVisible', () => {
  it('counts the parts of a window that are on different displays', () => {
    // Straddles the border between the left monitor and the primary: fully visible.
    expect(isMostlyVisible({ x: -200, y: 0, width: 400, height: 600 }, [primary, left], 1)).toBe(true);
    expect(isMostlyVisible({ x: 1700, y: 0, width: 400, height: 600 }, [primary], 0.5)).toBe(true);
    expect(isMostlyVisible({ x: 1800, y: 0, width: 400, height: 600 }, [primary], 0.5)).toBe(false);
    expect(isMostlyVisible({ x: 0, y: 0, width: 0, height: 0 }, [primary])).toBe(false);
  });
});
