import { useEffect, useState } from 'react';
import type { EdgeVoice, PreferencesBridge } from '../../../../../shared/preferences-api';
import { SaveStatus } from '../../save-status';

interface Props {
  bridge: PreferencesBridge;
  value: string;
  onChange(voice: string): void;
  /** Shown when the list cannot be fetched: the plain field. */
  fallback: React.ReactNode;
  onLocale(locale: string | undefined): void;
}

/** The list of Edge voices with a filter (the provider declares a voice list). */
export function EdgeVoicePicker({ bridge, value, onChange, fallback, onLocale }: Props) {
  const [voices, setVoices] = useState<EdgeVoice[]>([]);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');
  useEffect(() => {
    void bridge.listVoices().then((result) => {
      if (result.ok) setVoices(result.voices);
      else setError(result.error);
    });
  }, [bridge]);
  const current = voices.find((v) => v.shortName === value);
  useEffect(() => onLocale(current?.locale), [current, onLocale]);

  const shown = voices.filter((v) =>
    `${v.locale} ${v.shortName} ${v.friendlyName}`.toLowerCase().includes(filter.toLowerCase()),
  );
  if (voices.length === 0)
    return (
      <>
        {fallback}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
      </>
    );
  return (
    <>
      <div className="field">
        <label htmlFor="voice-filter">Find a voice (language, name)</label>
        <input
          id="voice-filter"
          type="search"
          value={filter}
          placeholder="e.g. ja-JP, en-GB, Female"
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="voice">Voice</label>
        <select id="voice" size={8} value={value} onChange={(e) => onChange(e.target.value)}>
          {!shown.some((v) => v.shortName === value) && <option value={value}>{value}</option>}
          {shown.map((v) => (
            <option key={v.shortName} value={v.shortName}>
              {v.locale} ·{' '}
              {v.shortName
                .split('-')
                .slice(2)
                .join('-')
                .replace(/Neural$/, '')}{' '}
              · {v.gender}
            </option>
          ))}
        </select>
        <p className="hint">
          {shown.length} of {voices.length} voices.
        </p>
        <SaveStatus owner="tts.providers.edge.voice" />
      </div>
    </>
  );
}
