import { useCallback, useEffect, useState } from 'react';
import type { PreferencesBridge } from '../../../shared/preferences-api';
import type { RendererSettings } from '../../../shared/settings-view';
import { AdvancedSection } from './sections/AdvancedSection';
import { CharacterSection } from './sections/CharacterSection';
import { LatencyDashboard } from './sections/LatencyDashboard';
import { LlmSection } from './sections/LlmSection';
import { OverlaySection } from './sections/OverlaySection';
import { StreamingSection } from './sections/StreamingSection';
import { VoiceSection } from './sections/VoiceSection';

const TABS = ['Character', 'LLM', 'Voice', 'Streaming', 'Overlay', 'Latency', 'Advanced'] as const;
type Tab = (typeof TABS)[number];

/** Saves a patch; resolves to an error message for the UI, or undefined when it was applied. */
export type SavePatch = (patch: Record<string, Record<string, unknown>>) => Promise<string | undefined>;

export interface SectionProps {
  bridge: PreferencesBridge;
  settings: RendererSettings;
  save: SavePatch;
}

export function PreferencesApp({ bridge }: { bridge: PreferencesBridge }) {
  const [tab, setTab] = useState<Tab>('Character');
  const [settings, setSettings] = useState<RendererSettings | undefined>();
  const [status, setStatus] = useState('');

  const reload = useCallback(() => void bridge.getSettings().then(setSettings), [bridge]);
  useEffect(() => {
    reload();
    return bridge.onChanged((what) => {
      if (what === 'settings') reload();
    });
  }, [bridge, reload]);

  const save: SavePatch = async (patch) => {
    const result = await bridge.updateSettings(patch);
    if (!result.ok) return result.errors.map((e) => e.replace(/^[\w.]+: /, '')).join(' ');
    setSettings(result.settings);
    setStatus(
      result.keyPersisted
        ? 'Saved. Applies from the next reply.'
        : 'Saved, but the API key is kept only until Kiyo quits: this system offers no secure storage.',
    );
    return undefined;
  };

  if (!settings) return <p className="loading">Loading…</p>;
  const props = { bridge, settings, save };
  return (
    <div className="prefs">
      <nav role="tablist" aria-label="Preference sections">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={t === tab} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </nav>
      <main role="tabpanel" aria-label={tab}>
        {tab === 'Character' && <CharacterSection {...props} />}
        {tab === 'LLM' && <LlmSection {...props} />}
        {tab === 'Voice' && <VoiceSection {...props} />}
        {tab === 'Streaming' && <StreamingSection {...props} />}
        {tab === 'Overlay' && <OverlaySection bridge={bridge} />}
        {tab === 'Latency' && <LatencyDashboard bridge={bridge} />}
        {tab === 'Advanced' && <AdvancedSection bridge={bridge} onReset={setSettings} />}
      </main>
      <p className="status" role="status">
        {status}
      </p>
    </div>
  );
}
