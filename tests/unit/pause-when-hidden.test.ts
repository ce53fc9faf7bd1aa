import { describe, expect, it } from 'vitest';
import type { FrameHost } from '../../src/renderer/src/avatar/frame-clock';
import { FrameClock } from '../../src/renderer/src/avatar/frame-clock';
import { pauseWhenHidden } from '../../src/renderer/src/avatar/pause-when-hidden';

/** A page whose visibility the test sets, as a browser, Electron or OBS would. */
class FakePage extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  set(state: DocumentVisibilityState) {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

/** What Electron's preload does with the window's hide/minimise/restore/show messages. */
class FakeWindowSignal {
  listener: ((visible: boolean) => void) | undefined;
  onWindowVisible = (listener: (visible: boolean) => void) => {
    this.listener = listener;
    return () => (this.listener = undefined);
  };
}

const noFrames: FrameHost = { requestFrame: () => 1, cancelFrame: () => {} };

function setup() {
  const clock = new FrameClock(30, noFrames);
  const page = new FakePage();
  const host = new EventTarget();
  const window = new FakeWindowSignal();
  const stop = pauseWhenHidden(
    clock,
    window,
    page as unknown as Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>,
    host as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>,
  );
  const obs = (visible: boolean) =>
    host.dispatchEvent(new CustomEvent('obsSourceVisibleChanged', { detail: { visible } }));
  return { clock, page, window, obs, stop };
}

describe('pauseWhenHidden', () => {
  it('pauses while the page is hidden (background tab, minimised window, OBS source not shown)', () => {
    const { clock, page } = setup();
    expect(clock.paused).toBe(false);
    page.set('hidden');
    expect(clock.paused).toBe(true);
    page.set('visible');
    expect(clock.paused).toBe(false);
  });

  it('pauses while the desktop window says it is hidden or minimised, whatever the page says', () => {
    const { clock, window } = setup();
    window.listener!(false);
    expect(clock.paused).toBe(true);
    window.listener!(true);
    expect(clock.paused).toBe(false);
  });

  it('pauses while OBS says the source is not shown, and ignores OBS events without a verdict', () => {
    const { clock, obs, page } = setup();
    obs(false);
    expect(clock.paused).toBe(true);
    page.set('visible'); // the page alone cannot clear OBS's reason
    expect(clock.paused).toBe(true);
    obs(true);
    expect(clock.paused).toBe(false);
  });

  it('starts paused on a page loaded hidden, and stops listening when asked', () => {
    const clock = new FrameClock(30, noFrames);
    const page = new FakePage();
    page.visibilityState = 'hidden';
    const window = new FakeWindowSignal();
    const stop = pauseWhenHidden(
      clock,
      window,
      page as unknown as Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>,
      new EventTarget() as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>,
    );
    expect(clock.paused).toBe(true);
    stop();
    expect(window.listener).toBeUndefined();
    page.set('visible');
    expect(clock.paused).toBe(true); // no longer followed
  });
});
