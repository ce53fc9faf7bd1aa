import { useEffect, useState } from 'react';
import { FRAME_RATE_CAPS, type FrameRateCap, type OverlayState } from '../../../../shared/ipc';
import type {
  AdvancedInfo,
  HotkeyInfo,
  OverlayPatch,
  PreferencesBridge,
} from '../../../../shared/preferences-api';

export function OverlaySection({ bridge }: { bridge: PreferencesBridge }) {
  const [state, setState] = useState<OverlayState | undefined>();
  const [advanced, setAdvanced] = useState<AdvancedInfo | undefined>();
  useEffect(() => {
    void bridge.getOverlay().then(setState);
    void bridge.getAdvanced().then(setAdvanced);
    return bridge.onChanged((what) => {
      if (what === 'overlay') void bridge.getOverlay().then(setState);
    });
  }, [bridge]);
  if (!state) return null;
  // Optimistic, so a switch flips under the pointer; main's answer then confirms or corrects it.
  const setHotkey = (id: HotkeyInfo['id'], accelerator: string) =>
    void bridge
      .setHotkey({ id, accelerator })
      .then((hotkeys) => setAdvanced((a) => (a ? { ...a, hotkeys } : a)));
  const update = (patch: OverlayPatch) => {
    setState({ ...state, ...patch });
    void bridge.updateOverlay(patch).then(setState);
  };
  const toggle = (
    key: 'alwaysOnTop' | 'clickThrough' | 'subtitles' | 'chatInputVisible' | 'streamStatus' | 'lightLipSync',
    label: string,
  ) => (
    <div className="field">
      <label>
        <input type="checkbox" checked={state[key]} onChange={(e) => update({ [key]: e.target.checked })} />{' '}
        {label}
      </label>
    </div>
  );
  return (
    <section>
      <h2>Overlay</h2>
      <div className="field">
        <label htmlFor="scale">Avatar scale ({Math.round(state.scale * 100)}%)</label>
        <input
          id="scale"
          type="range"
          min={0.3}
          max={3}
          step={0.05}
          value={state.scale}
          onChange={(e) => update({ scale: Number(e.target.value) })}
        />
      </div>
      <div className="field">
        <label htmlFor="frame-rate-cap">Frame rate</label>
        <select
          id="frame-rate-cap"
          value={state.frameRateCap}
          onChange={(e) => update({ frameRateCap: Number(e.target.value) as FrameRateCap })}
        >
          {FRAME_RATE_CAPS.map((fps) => (
            <option key={fps} value={fps}>
              {fps} fps{fps === 30 ? ' (default)' : fps === 60 ? ' (smoothest)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="render-scale">Render resolution ({Math.round(state.renderScale * 100)}%)</label>
        <input
          id="render-scale"
          type="range"
          min={0.5}
          max={1}
          step={0.05}
          value={state.renderScale}
          onChange={(e) => update({ renderScale: Number(e.target.value) })}
        />
      </div>
      {toggle(
        'lightLipSync',
        'Light lip sync: while she speaks, draw about 8 frames a second, as anime draws lip flaps (saves processor time without a graphics card; turn off for the smoothest mouth)',
      )}
      <p className="hint">
        The frame rate is the most the avatar draws a second; lip sync, motions and sound keep their timing at
        every rate. A frame in which nothing visibly moved is not drawn at all: while she is silent, movement
        must add up to 2 pixels (slow breathing and sway advance in 2-pixel steps; blinks are drawn in full),
        while she speaks, 1 pixel. With light lip sync on (the default), while she speaks the avatar is drawn
        about 8 times a second, "on threes" as limited animation draws lip flaps (every third or fourth frame
        at 30 fps): each drawn frame shows her mouth as it is at that moment, so lip sync stays in time, but
        mouth and motions move in eighth-of-a-second steps. At 30 fps the bundled avatar then draws about 7
        frames a second idle and 8 speaking; with it off, speaking draws on nearly every frame the rate allows
        (about 15–17 a second at 30 fps). Without a graphics card (software rendering) each drawn frame costs
        tens of milliseconds of processor time, most of it reading the avatar's textures for its pixels, so
        there the avatar's textures are read from one mipmap level instead of blended from two (a quarter
        cheaper, a hardly visible change; with a graphics card nothing changes). Measured at 30 fps on a test
        machine without a graphics card: idle about 45 % of one core, speaking about 60 %; at 15 fps idle
        about 35 %. With a graphics card any rate is light, and light lip sync can be turned off. A lower
        resolution draws fewer pixels and looks a little softer; measured idle at 30 fps on the same machine:
        75 % about 33 % of one core, 50 % about 23 % (fewer pixels a frame, and fewer frames: slow movement
        takes longer to add up to 2 of its pixels). The overlay stops drawing while it is hidden or minimised.
      </p>
      {toggle('alwaysOnTop', 'Always on top (above full-screen apps where the system allows)')}
      {toggle('clickThrough', 'Click-through (clicks pass to what is behind the overlay)')}
      {toggle('subtitles', 'Subtitles')}
      {toggle('chatInputVisible', 'Chat input')}
      {toggle(
        'streamStatus',
        'Friendly status on the OBS page (e.g. "Kiyo is taking a short break"; never error details)',
      )}
      <p className="hint">
        The OBS page shows the avatar and subtitles only: no chat input, errors or notices.
      </p>
      <h3>Hotkeys</h3>
      <p className="hint">Global shortcuts, e.g. CommandOrControl+Shift+K. Empty turns one off.</p>
      {advanced?.hotkeys.map((h) => (
        <HotkeyField key={h.id} hotkey={h} onChange={(accelerator) => setHotkey(h.id, accelerator)} />
      ))}
      {advanced?.obsUrl && (
        <p className="hint">
          OBS browser source: <code>{advanced.obsUrl}</code>
        </p>
      )}
    </section>
  );
}

function HotkeyField({ hotkey, onChange }: { hotkey: HotkeyInfo; onChange(accelerator: string): void }) {
  const [draft, setDraft] = useState(hotkey.accelerator);
  useEffect(() => setDraft(hotkey.accelerator), [hotkey.accelerator]);
  const commit = () => {
    if (draft.trim() !== hotkey.accelerator) onChange(draft.trim());
  };
  return (
    <div className="field" data-hotkey={hotkey.id}>
      <label htmlFor={`hotkey-${hotkey.id}`}>{hotkey.action}</label>
      <input
        id={`hotkey-${hotkey.id}`}
        type="text"
        value={draft}
        maxLength={64}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-invalid={hotkey.problem !== undefined}
      />
      {hotkey.problem && (
        <p className="field-error" role="alert">
          Not active: {hotkey.problem}. The tray menu still works.
        </p>
      )}
    </div>
  );
}
