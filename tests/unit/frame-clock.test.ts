import { describe, expect, it } from 'vitest';
import { FrameClock, MAX_FRAME_STEP_MS, type FrameHost } from '../../src/renderer/src/avatar/frame-clock';

/** A display that refreshes at `hz`, advanced by hand: animation frames fire only when asked for. */
class FakeDisplay implements FrameHost {
  now = 1000;
  requested = 0;
  private pending = new Map<number, (now: number) => void>();
  private next = 1;
  constructor(private readonly hz = 60) {}

  requestFrame(callback: (now: number) => void): number {
    this.requested++;
    const handle = this.next++;
    this.pending.set(handle, callback);
    return handle;
  }

  cancelFrame(handle: number): void {
    this.pending.delete(handle);
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Runs `ms` worth of refreshes (the first one `1000 / hz` from now). */
  run(ms: number): void {
    const period = 1000 / this.hz;
    const end = this.now + ms;
    while (this.now + period <= end + 1e-6) {
      this.now += period;
      const callbacks = [...this.pending.values()];
      this.pending.clear();
      for (const callback of callbacks) callback(this.now);
    }
  }
}

function setup(fps: number, hz = 60) {
  const display = new FakeDisplay(hz);
  const clock = new FrameClock(fps, display);
  const steps: number[] = [];
  clock.add((_now, dt) => steps.push(dt));
  clock.start();
  return { display, clock, steps };
}

describe('FrameClock', () => {
  it('draws 30 frames in a second of 60 Hz refreshes at a cap of 30', () => {
    const { display, clock } = setup(30);
    display.run(1000);
    expect(display.requested).toBeGreaterThanOrEqual(59); // the display offered 60 frames…
    expect(clock.frames).toBeGreaterThanOrEqual(29); // …and half were drawn
    expect(clock.frames).toBeLessThanOrEqual(31);
  });

  it.each([
    [15, 60, 15],
    [24, 60, 24],
    [60, 60, 60],
    [60, 144, 60],
    [30, 37.5, 30], // a rate that does not divide the display's still averages out to the cap
    [60, 37.5, 37.5], // a display slower than the cap: every frame, and no burst to catch up
  ])('keeps to a cap of %d fps on a %d Hz display', (fps, hz, expected) => {
    const { display, clock } = setup(fps, hz);
    display.run(2000);
    expect(clock.frames / 2).toBeGreaterThanOrEqual(expected - 1);
    expect(clock.frames / 2).toBeLessThanOrEqual(expected + 1);
  });

  it('keeps running after a listener throws: one failing frame must not freeze the overlay for good', () => {
    const { display, clock } = setup(30);
    let failures = 0;
    clock.add(() => {
      if (failures++ === 0) throw new Error('model update failed');
    });
    expect(() => display.run(100)).toThrow('model update failed'); // the fault happened
    const before = clock.frames;
    display.run(1000);
    expect(clock.frames - before).toBeGreaterThanOrEqual(29);
  });

  it('hands listeners the elapsed time, so what they animate keeps its speed at any cap', () => {
    for (const fps of [15, 30, 60]) {
      const { display, steps } = setup(fps);
      display.run(3000);
      const total = steps.reduce((a, b) => a + b, 0);
      // The first frame has no predecessor; everything after adds up to the time that passed.
      expect(total).toBeGreaterThan(3000 - 1000 / fps - 20);
      expect(total).toBeLessThanOrEqual(3000);
    }
  });

  it('draws nothing and asks for no frames while hidden, and draws on the next frame once shown', () => {
    const { display, clock } = setup(30);
    display.run(200);
    const before = clock.frames;
    expect(before).toBeGreaterThan(0);

    clock.setHidden('page', true);
    expect(clock.paused).toBe(true);
    expect(display.waiting).toBe(0); // the pending frame was cancelled
    const requested = display.requested;
    display.run(1000);
    expect(clock.frames).toBe(before);
    expect(display.requested).toBe(requested);

    clock.setHidden('page', false);
    display.run(1000 / 60); // one refresh
    expect(clock.frames).toBe(before + 1);
  });

  it('draws at once when shown again, even within the interval of the last frame', () => {
    const { display, clock } = setup(15);
    display.run(1000 / 60); // a frame is drawn; the next one is not due for 66 ms
    const before = clock.frames;
    clock.setHidden('window', true);
    clock.setHidden('window', false);
    display.run(1000 / 60);
    expect(clock.frames).toBe(before + 1);
  });

  it('stays paused until every reason to hide has cleared', () => {
    const { display, clock } = setup(30);
    clock.setHidden('page', true);
    clock.setHidden('window', true);
    clock.setHidden('page', false);
    display.run(500);
    expect(clock.frames).toBe(0);
    clock.setHidden('window', false);
    display.run(1000 / 60);
    expect(clock.frames).toBe(1);
  });

  it('does not count the time spent hidden as one long step', () => {
    const { display, clock, steps } = setup(30);
    display.run(100);
    clock.setHidden('page', true);
    display.run(60_000);
    clock.setHidden('page', false);
    display.run(100);
    expect(Math.max(...steps)).toBeLessThanOrEqual(MAX_FRAME_STEP_MS);
    expect(Math.max(...steps)).toBeLessThan(40);
  });

  it('follows a new cap at once, and ignores one that is not a positive number', () => {
    const { display, clock } = setup(15);
    display.run(1000);
    const at15 = clock.frames;
    clock.setFps(60);
    display.run(1000);
    expect(clock.frames - at15).toBeGreaterThanOrEqual(59);
    clock.setFps(0);
    clock.setFps(Number.NaN);
    expect(clock.fps).toBe(60);
  });

  it('stops for good when stopped', () => {
    const { display, clock } = setup(30);
    display.run(100);
    clock.stop();
    clock.setHidden('page', true);
    clock.setHidden('page', false);
    const frames = clock.frames;
    display.run(1000);
    expect(clock.frames).toBe(frames);
    expect(display.waiting).toBe(0);
  });
});
