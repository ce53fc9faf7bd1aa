import { z } from 'zod';
import {
  DEFAULT_OVERLAY_STATE,
  overlayStateSchema,
  RENDER_SCALE_MAX,
  RENDER_SCALE_MIN,
  type OverlayState,
} from '../../shared/ipc';
import { parseEmotionMaps } from '../../shared/emotion-map';
import type { SavedBounds } from './window-bounds';

/**
 * What the overlay persists, and how a stored value that is missing, from an older version or
 * hand-edited is turned back into something usable. Pure (no electron-store) so it can be tested.
 */

export { DEFAULT_OVERLAY_STATE };

const SCALE_MIN = 0.3;
const SCALE_MAX = 3;

const savedBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  displayId: z.number().optional(),
});

export interface Parsed<T> {
  value: T;
  /** Human-readable reasons a stored value was (partly) replaced; empty when it was valid or absent. */
  problems: string[];
}

/**
 * Field by field, so one bad value (say a hand-edited scale of 10) does not reset the others, and
 * fields added in a later version silently take their defaults in an older file.
 */
export function parseOverlayState(raw: unknown): Parsed<OverlayState> {
  if (raw === undefined) return { value: { ...DEFAULT_OVERLAY_STATE }, problems: [] };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { value: { ...DEFAULT_OVERLAY_STATE }, problems: ['overlay: not an object'] };
  }
  const record = raw as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...DEFAULT_OVERLAY_STATE };
  const problems: string[] = [];
  for (const key of Object.keys(DEFAULT_OVERLAY_STATE) as (keyof OverlayState)[]) {
    if (!(key in record)) continue;
    if (key === 'emotionMaps') {
      // Entry by entry: one damaged emotion must not cost the user every model's map.
      const maps = parseEmotionMaps(record[key]);
      merged[key] = maps.value;
      problems.push(...maps.problems.map((p) => `overlay.${p}`));
      continue;
    }
    const field = overlayStateSchema.shape[key].safeParse(record[key]);
    if (field.success) merged[key] = field.data;
    else problems.push(`overlay.${key}: ${field.error.issues.map((i) => i.message).join(', ')}`);
  }
  return { value: overlayStateSchema.parse(merged), problems };
}

export function parseSavedBounds(raw: unknown): Parsed<SavedBounds | undefined> {
  if (raw === undefined) return { value: undefined, problems: [] };
  const result = savedBoundsSchema.safeParse(raw);
  if (result.success) return { value: result.data, problems: [] };
  const details = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { value: undefined, problems: [`bounds: ${details.join('; ')}`] };
}

/** A render scale in range, to the percent; NaN/Infinity from a caller keep the current one. */
export function clampRenderScale(scale: number, current: number): number {
  if (!Number.isFinite(scale)) return current;
  return Math.min(RENDER_SCALE_MAX, Math.max(RENDER_SCALE_MIN, Math.round(scale * 100) / 100));
}

/** Scale the avatar can actually be drawn at; NaN/Infinity from a caller keep the current one. */
export function clampScale(scale: number, current: number): number {
  if (!Number.isFinite(scale)) return current;
  return Math.min(SCALE_MAX, Math.max(SCALE_MIN, Math.round(scale * 100) / 100));
}

/** Where the overlay keeps its state between runs; the window only sees this interface. */
export interface OverlayStateStore {
  loadBounds(): SavedBounds | undefined;
  saveBounds(bounds: SavedBounds): void;
  loadOverlay(): OverlayState;
  saveOverlay(state: OverlayState): void;
}

/** For tests and for running without a writable user-data folder. */
export function createMemoryOverlayStateStore(initial?: {
  bounds?: SavedBounds;
  overlay?: OverlayState;
}): OverlayStateStore {
  let bounds = initial?.bounds;
  let overlay: OverlayState = { ...(initial?.overlay ?? DEFAULT_OVERLAY_STATE) };
  return {
    loadBounds: () => (bounds ? { ...bounds } : undefined),
    saveBounds: (next) => {
      bounds = { ...next };
    },
    loadOverlay: () => ({ ...overlay }),
    saveOverlay: (next) => {
      overlay = { ...next };
    },
  };
}
