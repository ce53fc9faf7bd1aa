import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputRest, REST_AFTER_MS, type RestableContext } from '../../src/renderer/src/audio/output-rest';

/** An AudioContext as far as resting goes: its state follows suspend() and resume(). */
function fakeContext(state: AudioContextState = 'running') {
  const context = {
    state,
    calls: [] as string[],
    suspend: vi.fn(async () => {
      context.calls.push('suspend');
      context.state = 'suspended';
    }),
    resume: vi.fn(async () => {
      context.calls.push('resume');
      context.state = 'running';
    }),
  };
  return context satisfies RestableContext;
}

describe('OutputRest', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('suspends the output after REST_AFTER_MS of silence, and wakes it for the next turn', async () => {
    const context = fakeContext();
    const rest = new OutputRest(context);
    rest.idle();
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS - 1);
    expect(context.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(context.calls).toEqual(['suspend']);
    expect(rest.resting).toBe(true);

    rest.wake();
    await rest.awake;
    expect(context.calls).toEqual(['suspend', 'resume']);
    expect(context.state).toBe('running');
    expect(rest.resting).toBe(false);
    expect(rest.counts).toEqual({ rests: 1, wakes: 1 });
  });

  it('does not rest while something plays or a turn is under way, however long it lasts', async () => {
    const context = fakeContext();
    const rest = new OutputRest(context);
    rest.idle();
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS / 2);
    rest.wake(); // a turn started before the silence had lasted long enough
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS * 5);
    expect(context.calls).toEqual([]);
    // The silence is counted again from the end of that turn.
    rest.idle();
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS - 1);
    expect(context.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(context.calls).toEqual(['suspend']);
  });

  it('held (the microphone open), it never rests; released in a silence, it rests after REST_AFTER_MS', async () => {
    const context = fakeContext();
    const rest = new OutputRest(context);
    rest.idle();
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS);
    expect(context.calls).toEqual(['suspend']);
    rest.hold(true); // the microphone opened while the output rested: it runs again at once
    await rest.awake;
    expect(context.calls).toEqual(['suspend', 'resume']);
    rest.wake();
    rest.idle(); // a turn played and ended while held
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS * 3);
    expect(context.calls).toEqual(['suspend', 'resume']);
    rest.hold(false);
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS - 1);
    expect(context.calls).toEqual(['suspend', 'resume']);
    await vi.advanceTimersByTimeAsync(1);
    expect(context.calls).toEqual(['suspend', 'resume', 'suspend']);
  });

  it('released while something plays, it waits for the silence', async () => {
    const context = fakeContext();
    const rest = new OutputRest(context);
    rest.hold(true);
    rest.wake();
    rest.hold(false);
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS * 3);
    expect(context.calls).toEqual([]);
  });

  it('leaves a context the browser suspended (sound blocked until a click) to the browser', async () => {
    const context = fakeContext('suspended');
    const rest = new OutputRest(context);
    rest.idle();
    await vi.advanceTimersByTimeAsync(REST_AFTER_MS * 2);
    expect(rest.resting).toBe(false);
    // Not resting, so waking does not resume it behind the browser's back either.
    rest.wake();
    expect(context.calls).toEqual([]);
  });
});
