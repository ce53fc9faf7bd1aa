import { useEffect, useState } from 'react';
import type { OverlayState } from '../../../../shared/ipc';
import type { AdvancedInfo, OverlayPatch, PreferencesBridge } from '../../../../shared/preferences-api';

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
  const update = (patch: OverlayPatch) => {
    setState({ ...state, ...patch });
    void bridge.updateOverlay(patch).then(setState);
  };
  const toggle = (key: 'clickThrough' | 'subtitles' | 'chatInputVisible', label: string) => (
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
      {toggle('clickThrough', 'Click-through (clicks pass to what is behind the overlay)')}
      {toggle('subtitles', 'Subtitles')}
      {toggle('chatInputVisible', 'Chat input')}
      <h3>Hotkeys</h3>
      <ul className="hotkeys">
        {advanced?.hotkeys.map((h) => (
          <li key={h.action}>
            <kbd>{h.accelerator}</kbd> {h.action}
            {!h.registered && <span className="field-error"> (taken by another app)</span>}
          </li>
        ))}
      </ul>
      {advanced?.obsUrl && (
        <p className="hint">
          OBS browser source: <code>{advanced.obsUrl}</code>
        </p>
      )}
    </section>
  );
}
