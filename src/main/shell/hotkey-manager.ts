import Store from 'electron-store';
import { z } from 'zod';
import type { HotkeyInfo } from '../../shared/preferences-api';
import type { Logger } from '../pipeline/logger';
import {
  DEFAULT_HOTKEYS,
  HOTKEY_LABELS,
  registerHotkeys,
  type HotkeyAction,
  type HotkeyRegistration,
} from './hotkeys';

const ACTIONS = Object.keys(DEFAULT_HOTKEYS) as HotkeyAction[];
const storedSchema = z.partialRecord(
  z.enum(ACTIONS as [HotkeyAction, ...HotkeyAction[]]),
  z.string().max(64),
);

/**
 * The global shortcuts as the user set them: persisted, re-registered on change, and described
 * (registered or why not) for the preferences window. '' switches a shortcut off.
 */
export class HotkeyManager {
  private readonly store = new Store<{ hotkeys?: unknown }>({ name: 'hotkeys' });
  private accelerators: Partial<Record<HotkeyAction, string>>;
  private registration: HotkeyRegistration;

  constructor(
    private readonly handlers: Record<HotkeyAction, () => void>,
    private readonly logger: Logger,
  ) {
    const stored = storedSchema.safeParse(this.store.get('hotkeys') ?? {});
    if (!stored.success) logger.warn('invalid hotkeys in hotkeys.json; the defaults are used');
    this.accelerators = stored.success ? stored.data : {};
    this.registration = registerHotkeys(handlers, logger, { accelerators: this.accelerators });
  }

  get registered(): Partial<Record<HotkeyAction, string>> {
    return this.registration.registered;
  }

  list(): HotkeyInfo[] {
    const wanted = { ...DEFAULT_HOTKEYS, ...this.accelerators };
    return ACTIONS.map((action) => ({
      id: action,
      action: HOTKEY_LABELS[action],
      accelerator: wanted[action],
      registered: this.registration.registered[action] !== undefined,
      problem: this.registration.failed.find((f) => f.action === action)?.reason,
    }));
  }

  set(action: HotkeyAction, accelerator: string): HotkeyInfo[] {
    this.accelerators = { ...this.accelerators, [action]: accelerator.trim() };
    this.registration.unregister();
    this.registration = registerHotkeys(this.handlers, this.logger, { accelerators: this.accelerators });
    this.store.set('hotkeys', this.accelerators);
    return this.list();
  }
}
