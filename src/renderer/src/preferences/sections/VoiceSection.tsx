import { useEffect, useState } from 'react';
import type { EdgeVoice } from '../../../../shared/preferences-api';
import { AUDIO_FORMATS } from '../../../../shared/settings';
import { SettingField } from '../SettingField';
import type { SectionProps } from '../PreferencesApp';
import { SaveStatus } from '../save-status';

const SAMPLES: Record<string, string> = {
  ja: 'こんにちは、キヨです。今日も一緒に遊ぼうね！',
  zh: '你好，我是Kiyo。今天也一起玩吧！',
};
const sampleFor = (locale: string) =>
  SAMPLES[locale.slice(0, 2)] ?? "Hi, I'm Kiyo! This is how I sound today.";

export function VoiceSection({ bridge, settings, save }: SectionProps) {
  const tts = settings.tts;
  const [voices, setVoices] = useState<EdgeVoice[]>([]);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');
  const [previewing, setPreviewing] = useState(false);

  useEffect(() => {
    void bridge.listVoices().then((result) => {
      if (result.ok) setVoices(result.voices);
      else setError(result.error);
    });
  }, [bridge]);

  const shown = voices.filter((v) =>
    `${v.locale} ${v.shortName} ${v.friendlyName}`.toLowerCase().includes(filter.toLowerCase()),
  );
  const current = voices.find((v) => v.shortName === tts.voice);
  const preview = async () => {
    setPreviewing(true);
    const result = await bridge.previewVoice(sampleFor(current?.locale ?? tts.voice));
    if (!result.ok) setError(result.error);
    setPreviewing(false);
  };
  const field = (name: keyof typeof tts, options?: readonly string[]) => (
    <SettingField
      section="tts"
      name={name}
      value={tts[name]}
      options={options}
      onCommit={(value) => save({ tts: { [name]: value } }, `tts.${name}`)}
    />
  );

  return (
    <section>
      <h2>Voice</h2>
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
      {voices.length > 0 ? (
        <div className="field">
          <label htmlFor="voice">Voice</label>
          <select
            id="voice"
            size={8}
            value={tts.voice}
            onChange={(e) => void save({ tts: { voice: e.target.value } }, 'tts.voice')}
          >
            {!shown.some((v) => v.shortName === tts.voice) && <option value={tts.voice}>{tts.voice}</option>}
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
          <SaveStatus owner="tts.voice" />
        </div>
      ) : (
        field('voice')
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="row">
        <button onClick={() => void preview()} disabled={previewing}>
          Preview voice
        </button>
        <span className="hint">Spoken by the avatar, through the same pipeline as a reply.</span>
      </div>
      {field('rate')}
      {field('pitch')}
      {field('volume')}
      {field('outputFormat', AUDIO_FORMATS)}
      {field('warmConnections')}
      {field('timeoutMs')}
    </section>
  );
}
