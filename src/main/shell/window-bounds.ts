/**
 * Where the overlay goes on screen. Pure (no electron import) so the multi-monitor cases can be
 * unit tested: Electron's Display objects are reduced to `{ id, workArea }` by the caller.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedBounds extends Rect {
  /** The display the window was on when saved; gone → the window goes back to the primary display. */
  displayId?: number;
}

export interface DisplayArea {
  id: number;
  /** The display minus taskbar / dock / menu bar, in Electron's DIP coordinates. */
  workArea: Rect;
}

/** Gap between the overlay and the corner of the screen when it is placed by default. */
export const EDGE_MARGIN = 24;

/**
 * Bounds that are fully visible: the saved position kept inside the work area of the display it
 * was saved on (shrunk when that work area got smaller), or the bottom-right corner of the primary
 * display when nothing was saved or that display is gone (monitor unplugged).
 */
export function clampToDisplays(
  saved: SavedBounds | undefined,
  displays: readonly DisplayArea[],
  primaryId: number,
  defaultSize: { width: number; height: number },
): Rect {
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  if (!primary)
    return { x: 0, y: 0, width: Math.round(defaultSize.width), height: Math.round(defaultSize.height) };

  if (saved && isUsable(saved)) {
    const home =
      saved.displayId === undefined
        ? // Bounds saved without a display id: trust them only if they still land mostly on one display.
          displayContainingMost(saved, displays)
        : displays.find((d) => d.id === saved.displayId);
    if (home) return clampInto(saved, home.workArea);
  }
  return bottomRight(defaultSize, primary.workArea);
}

/** True when at least `fraction` of `rect` is on some display's work area. */
export function isMostlyVisible(rect: Rect, displays: readonly DisplayArea[], fraction = 0.5): boolean {
  const area = rect.width * rect.height;
  if (!(area > 0)) return false;
  // Work areas do not overlap, so the visible parts can be summed.
  const visible = displays.reduce((sum, d) => sum + intersectionArea(rect, d.workArea), 0);
  return visible / area >= fraction;
}

export function sameRect(a: Rect, b: Rect): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

function isUsable(rect: Rect): boolean {
  return (
    Number.isFinite(rect.x) &&
    Number.isFinite(rect.y) &&
    Number.isFinite(rect.width) &&
    Number.isFinite(rect.height) &&
    rect.width > 0 &&
    rect.height > 0
  );
}

function displayContainingMost(rect: Rect, displays: readonly DisplayArea[]): DisplayArea | undefined {
  let best: DisplayArea | undefined;
  let bestArea = 0;
  for (const display of displays) {
    const area = intersectionArea(rect, display.workArea);
    if (area > bestArea) [best, bestArea] = [display, area];
  }
  return best && isMostlyVisible(rect, [best]) ? best : undefined;
}

function clampInto(rect: Rect, area: Rect): Rect {
  // Electron wants integer bounds; work areas are integers already.
  const width = Math.round(Math.min(rect.width, area.width));
  const height = Math.round(Math.min(rect.height, area.height));
  return {
    x: Math.round(clamp(rect.x, area.x, area.x + area.width - width)),
    y: Math.round(clamp(rect.y, area.y, area.y + area.height - height)),
    width,
    height,
  };
}

function bottomRight(size: { width: number; height: number }, area: Rect): Rect {
  const margin = Math.min(EDGE_MARGIN, Math.floor(area.width / 4), Math.floor(area.height / 4));
  const width = Math.round(Math.max(1, Math.min(size.width, area.width - 2 * margin)));
  const height = Math.round(Math.max(1, Math.min(size.height, area.height - 2 * margin)));
  return {
    x: area.x + area.width - width - margin,
    y: area.y + area.height - height - margin,
    width,
    height,
  };
}

function intersectionArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
