import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PreferencesBridge } from '../../../shared/preferences-api';
import type { RendererSettings } from '../../../shared/settings-view';
import { SaveStatusContext, sentence, type SaveStatusState } from './save-status';
import { AdvancedSection } from './sections/AdvancedSection';
import { CharacterSection } from './sections/CharacterSection';
import { ChatSection } from './sections/ChatSection';
import { LatencyDashboard } from './sections/LatencyDashboard';
import { ListeningSection } from './sections/ListeningSection';
import { LlmSection } from './sections/LlmSection';
import { OverlaySection } from './sections/OverlaySection';
import { PhrasesSection } from './sections/PhrasesSection';
import { StreamingSection } from './sections/StreamingSection';
import { VoiceSection } from './sections/VoiceSection';

const TABS = [
  'Character',
  'LLM',
  'Voice',
  'Listening',
  'Streaming',
  'Chat',
  'Overlay',
  'Latency',
  'Advanced',
] as const;
type Tab = (typeof TABS)[number];

/**
 * Saves a patch; resolves to why it was refused, or undefined when it was applied. `owner` names
 * the field or control that changed: its status ("Saved." or why not) is shown next to it.
 */
export type SavePatch = (
  patch: Record<string, Record<string, unknown>>,
  owner: string,
) => Promise<string | undefined>;

export interface SectionProps {
  bridge: PreferencesBridge;
  settings: RendererSettings;
  save: SavePatch;
}

export function PreferencesApp({ bridge }: { bridge: PreferencesBridge }) {
  const [tab, setTab] = useState<Tab>('Character');
  const [settings, setSettings] = useState<RendererSettings | undefined>();
  const [status, setStatus] = useState<SaveStatusState | undefined>();
  const statusContext = useMemo(() => ({ status, clear: () => setStatus(undefined) }), [status]);

  const reload = useCallback(() => void bridge.getSettings().then(setSettings), [bridge]);
  useEffect(() => {
    reload();
    return bridge.onChanged((what) => {
      if (what === 'settings') reload();
    });
  }, [bridge, reload]);

  const save: SavePatch = async (patch, owner) => {
    const result = await bridge.updateSettings(patch);
    if (!result.ok) {
      // "streaming.segmentMaxChars: …" → the sentence only; the schema words it with labels.
      const why = result.errors.map((e) => sentence(e.replace(/^[\w.]+: /, ''))).join(' ');
      setStatus({ owner, ok: false, text: `Not saved: ${why}` });
      return why;
    }
    setSettings(result.settings);
    setStatus({
      owner,
      ok: true,
      text: result.keyPersisted
        ? 'Saved. Applies from the next reply.'
        : 'Saved, but the API key is kept only until Kiyo quits: this system offers no secure storage.',
    });
    return undefined;
  };
  const selectTab = (next: Tab) => {
    setTab(next);
    setStatus(undefined); // a status belongs to the page it was shown on
  };

  if (!settings) return <p className="loading">Loading…</p>;
  const props = { bridge, settings, save };
  return (
    <div className="prefs">
      <nav role="tablist" aria-label="Preference sections">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={t === tab} onClick={() => selectTab(t)}>
            {t}
          </button>
        ))}
      </nav>
      <SaveStatusContext.Provider value={statusContext}>
        <main role="tabpanel" aria-label={tab}>
          {tab === 'Character' && <CharacterSection {...props} />}
          {tab === 'LLM' && <LlmSection {...props} />}
          {tab === 'Voice' && <VoiceSection {...props} />}
          {tab === 'Listening' && <ListeningSection {...props} />}
          {tab === 'Streaming' && <StreamingSection {...props} />}
          {tab === 'Streaming' && <PhrasesSection {...props} />}
          {tab === 'Chat' && <ChatSection {...props} />}
          {tab === 'Overlay' && <OverlaySection bridge={bridge} />}
          {tab === 'Latency' && <LatencyDashboard bridge={bridge} />}
          {tab === 'Advanced' && <AdvancedSection bridge={bridge} onReset={setSettings} />}
        </main>
      </SaveStatusContext.Provider>
    </div>
  );
}
