/**
 * The push-to-talk hotkey is stored as an Electron accelerator (hotkeys.json, e.g.
 * "CommandOrControl+Shift+Y"); the global key hook (uiohook-napi, libuiohook) reports keys by its
 * own virtual key codes (VC_* in libuiohook's uiohook.h). This maps one to the other for the keys
 * a streamer would hold to talk: letters, digits, F1–F24, Space and the common named keys, with
 * Ctrl, Alt, Shift and Super/Cmd. Anything else gets a plain reason and push-to-talk toggles.
 *
 * libuiohook's codes name physical keys (a US layout's positions), while an accelerator's letter
 * names a character of the user's layout: on a layout that moves letters (QWERTZ, AZERTY) a letter
 * key is watched where a US keyboard has it. F-keys and Space are the same on every layout.
 */

export interface KeyBinding {
  /** libuiohook virtual key code of the key itself. */
  keycode: number;
  /** Modifiers that must be held with it (exactly these). */
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
  /** The accelerator, for messages. */
  accelerator: string;
}

export type KeyBindingResult = { ok: true; binding: KeyBinding } | { ok: false; problem: string };

/** libuiohook's codes of the modifier keys, left and right: releasing one ends a held talk. */
export const MODIFIER_KEYCODES = {
  ctrl: [0x001d, 0x0e1d],
  alt: [0x0038, 0x0e38],
  shift: [0x002a, 0x0036],
  meta: [0x0e5b, 0x0e5c],
} as const;

// prettier-ignore
const LETTERS: Record<string, number> = {
  A: 0x1e, B: 0x30, C: 0x2e, D: 0x20, E: 0x12, F: 0x21, G: 0x22, H: 0x23, I: 0x17,
  J: 0x24, K: 0x25, L: 0x26, M: 0x32, N: 0x31, O: 0x18, P: 0x19, Q: 0x10, R: 0x13,
  S: 0x1f, T: 0x14, U: 0x16, V: 0x2f, W: 0x11, X: 0x2d, Y: 0x15, Z: 0x2c,
};
// 1–9 then 0 sit in a row: 0x02…0x0a, 0x0b.
const DIGITS: Record<string, number> = Object.fromEntries(
  Array.from({ length: 10 }, (_, d) => [String(d), d === 0 ? 0x0b : d + 1]),
);
// F1–F10 are contiguous, F11/F12 and F13–F15, F16–F24 are not.
// prettier-ignore
const F_KEYS: readonly number[] = [
  0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x57, 0x58, 0x5b, 0x5c, 0x5d, 0x63,
  0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
];
/** Named keys and punctuation, by the lower-case names Electron's accelerators accept. */
const NAMED: Record<string, number> = {
  space: 0x39,
  tab: 0x0f,
  enter: 0x1c,
  return: 0x1c,
  backspace: 0x0e,
  escape: 0x01,
  esc: 0x01,
  capslock: 0x3a,
  numlock: 0x45,
  scrolllock: 0x46,
  printscreen: 0x0e37,
  insert: 0x0e52,
  delete: 0x0e53,
  home: 0x0e47,
  end: 0x0e4f,
  pageup: 0x0e49,
  pagedown: 0x0e51,
  up: 0xe048,
  down: 0xe050,
  left: 0xe04b,
  right: 0xe04d,
  num0: 0x52,
  num1: 0x4f,
  num2: 0x50,
  num3: 0x51,
  num4: 0x4b,
  num5: 0x4c,
  num6: 0x4d,
  num7: 0x47,
  num8: 0x48,
  num9: 0x49,
  numdec: 0x53,
  numadd: 0x4e,
  numsub: 0x4a,
  nummult: 0x37,
  numdiv: 0x0e35,
  ';': 0x27,
  '=': 0x0d,
  ',': 0x33,
  '-': 0x0c,
  '.': 0x34,
  '/': 0x35,
  '`': 0x29,
  '[': 0x1a,
  '\\': 0x2b,
  ']': 0x1b,
  "'": 0x28,
};

function keycodeOf(key: string): number | undefined {
  const upper = key.toUpperCase();
  if (upper.length === 1 && upper in LETTERS) return LETTERS[upper];
  if (key.length === 1 && key in DIGITS) return DIGITS[key];
  const f = /^F([1-9]|1\d|2[0-4])$/i.exec(key);
  if (f) return F_KEYS[Number(f[1]) - 1];
  return Object.hasOwn(NAMED, key.toLowerCase()) ? NAMED[key.toLowerCase()] : undefined;
}

/**
 * The key hook's binding for an Electron accelerator. `platform` decides CommandOrControl
 * (Cmd on macOS, Ctrl elsewhere), as Electron does.
 */
export function keyBindingOf(
  accelerator: string,
  platform: NodeJS.Platform = process.platform,
): KeyBindingResult {
  const parts = accelerator.split('+').map((part) => part.trim());
  const key = parts.pop() ?? '';
  const binding: KeyBinding = { keycode: 0, ctrl: false, alt: false, shift: false, meta: false, accelerator };
  for (const modifier of parts) {
    switch (modifier.toLowerCase()) {
      case 'control':
      case 'ctrl':
        binding.ctrl = true;
        break;
      case 'commandorcontrol':
      case 'cmdorctrl':
        if (platform === 'darwin') binding.meta = true;
        else binding.ctrl = true;
        break;
      case 'command':
      case 'cmd':
      case 'super':
      case 'meta':
        binding.meta = true;
        break;
      case 'alt':
      case 'option':
        binding.alt = true;
        break;
      case 'shift':
        binding.shift = true;
        break;
      default:
        return { ok: false, problem: `"${modifier}" in ${accelerator} cannot be watched for its release` };
    }
  }
  const keycode = keycodeOf(key);
  if (keycode === undefined)
    return {
      ok: false,
      problem: `the key "${key || accelerator}" cannot be watched for its release (use a letter, a digit, F1–F24 or Space, with or without modifiers)`,
    };
  binding.keycode = keycode;
  return { ok: true, binding };
}

/** Every key code the hook needs to see for a binding: the key and all modifiers (for their release). */
export function watchedKeycodes(binding: KeyBinding): number[] {
  return [binding.keycode, ...Object.values(MODIFIER_KEYCODES).flat()];
}
