import Store from 'electron-store';
import type { OverlayState } from '../../shared/ipc';
import type { Logger } from '../pipeline/logger';
import {
  createMemoryOverlayStateStore,
  parseOverlayState,
  parseSavedBounds,
  type OverlayStateStore,
} from './overlay-state';
import type { SavedBounds } from './window-bounds';

interface OverlayFile {
  bounds?: unknown;
  overlay?: unknown;
}

/**
 * Overlay bounds and UI state in `overlay.json` in the user-data folder, kept apart from
 * `settings.json` because it is rewritten every time the window moves. Values are validated on
 * every load: a broken file costs the user their layout, never a failed start.
 */
export function createOverlayStateStore(logger: Logger, options: { name?: string } = {}): OverlayStateStore {
  let store: Store<OverlayFile>;
  try {
    // clearInvalidConfig: malformed JSON (a crash mid-write on an old version) resets the file instead of throwing.
    store = new Store<OverlayFile>({ name: options.name ?? 'overlay', clearInvalidConfig: true });
  } catch (error) {
    logger.warn(
      'cannot open the overlay state file, window position and toggles will not be remembered:',
      error,
    );
    return createMemoryOverlayStateStore();
  }
  const warn = (problems: string[]) => {
    if (problems.length > 0)
      logger.warn(`invalid overlay state in ${store.path}, using defaults for: ${problems.join('; ')}`);
  };
  // A full disk or a read-only profile must not break dragging the window or a tray toggle.
  const write = (action: () => void) => {
    try {
      action();
    } catch (error) {
      logger.warn(`cannot write ${store.path}:`, error);
    }
  };
  return {
    loadBounds(): SavedBounds | undefined {
      const { value, problems } = parseSavedBounds(store.get('bounds'));
      warn(problems);
      return value;
    },
    saveBounds(bounds: SavedBounds): void {
      write(() => store.set('bounds', bounds));
    },
    loadOverlay(): OverlayState {
      const { value, problems } = parseOverlayState(store.get('overlay'));
      warn(problems);
      return value;
    },
    saveOverlay(state: OverlayState): void {
      write(() => store.set('overlay', state));
    },
  };
}
