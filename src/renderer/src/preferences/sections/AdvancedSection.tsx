import { useEffect, useState } from 'react';
import {
  LOG_LEVELS,
  type AdvancedInfo,
  type PreferencesBridge,
  type PrefsLogLevel,
} from '../../../../shared/preferences-api';
import type { RendererSettings } from '../../../../shared/settings-view';
import { RecentProblems } from './RecentProblems';

export function AdvancedSection({
  bridge,
  onReset,
}: {
  bridge: PreferencesBridge;
  onReset(settings: RendererSettings): void;
}) {
  const [info, setInfo] = useState<AdvancedInfo | undefined>();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    const load = () => void bridge.getAdvanced().then(setInfo);
    load();
    return bridge.onChanged((what) => {
      if (what === 'problems') load();
    });
  }, [bridge]);
  if (!info) return null;
  return (
    <section>
      <h2>Advanced</h2>
      {info.notices.length > 0 && (
        <div role="alert" className="notice">
          {info.notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      <div className="field">
        <label htmlFor="log-level">Log level</label>
        <select
          id="log-level"
          value={info.logLevel}
          onChange={(e) =>
            void bridge
              .setLogLevel(e.target.value as PrefsLogLevel)
              .then(() => bridge.getAdvanced().then(setInfo))
          }
        >
          {LOG_LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </div>
      <div className="row">
        <button onClick={() => void bridge.openLogsFolder()}>Open logs folder</button>
        <code>{info.logsFolder}</code>
      </div>
      <p className="hint">Settings file: {info.settingsFile}</p>
      <RecentProblems problems={info.problems} />
      {confirming ? (
        <div className="row" role="group" aria-label="Confirm reset">
          <span>Reset every setting to its default? Your API key is kept.</span>
          <button onClick={() => void bridge.resetSettings().then((s) => (onReset(s), setConfirming(false)))}>
            Reset
          </button>
          <button onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      ) : (
        <button onClick={() => setConfirming(true)}>Reset to defaults…</button>
      )}
    </section>
  );
}
