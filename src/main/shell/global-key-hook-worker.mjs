// The global key hook's own process (an Electron utility process in the app, a plain Node child in
// the tests): global-key-hook-process.ts starts it for hold-to-talk and kills it when hold-to-talk
// is no longer needed. It runs apart from main because libuiohook can take its process down when
// the system refuses a hook: with no reachable X display its start aborts the process or never
// returns. Only the key codes main asks for (the push-to-talk key and the modifiers) are passed
// on; every other key press stays in here and is dropped.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const port = process.parentPort; // Electron's utility process; undefined in a Node child
const post = (message) => (port ? port.postMessage(message) : process.send?.(message));
// No exit here: a message posted just before exiting may never arrive. Main kills this process
// when it reads the failure (and a Node child exits when main's channel closes).
const fail = (reason, error) =>
  post({ type: 'failed', reason, detail: String(error?.message ?? error).slice(0, 300) });

function watch(keycodes) {
  const watched = new Set(keycodes.filter((code) => Number.isInteger(code)));
  let hook;
  try {
    hook = require('uiohook-napi').uIOhook;
  } catch (error) {
    fail('load', error);
    return;
  }
  const forward = (down) => (event) => {
    if (!watched.has(event.keycode)) return;
    post({
      type: 'key',
      down,
      keycode: event.keycode,
      ctrl: event.ctrlKey === true,
      alt: event.altKey === true,
      shift: event.shiftKey === true,
      meta: event.metaKey === true,
    });
  };
  hook.on('keydown', forward(true));
  hook.on('keyup', forward(false));
  try {
    hook.start();
  } catch (error) {
    fail('start', error);
    return;
  }
  post({ type: 'started' });
}

let watching = false;
const onMessage = (message) => {
  if (watching || message?.type !== 'watch' || !Array.isArray(message.keycodes)) return;
  watching = true;
  watch(message.keycodes);
};
if (port) port.on('message', (event) => onMessage(event.data));
else {
  process.on('message', onMessage);
  // A Node child outlives its parent unless told: go when the channel closes.
  process.on('disconnect', () => process.exit(0));
}
