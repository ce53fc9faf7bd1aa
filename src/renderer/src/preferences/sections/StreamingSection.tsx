import { STREAMING_PRESETS } from '../../../../shared/presets';
import { SettingField } from '../SettingField';
import type { SectionProps } from '../PreferencesApp';
import { SaveStatus } from '../save-status';

const KEYS = [
  'enabled',
  'firstSegmentMinChars',
  'firstSegmentMaxChars',
  'firstSegmentBudgetMs',
  'segmentMinChars',
  'segmentMaxChars',
  'synthesisAhead',
  'audioChunkBytes',
] as const;

export function StreamingSection({ settings, save }: SectionProps) {
  const streaming = settings.streaming;
  const active = STREAMING_PRESETS.find((p) =>
    Object.entries(p.values).every(([k, v]) => streaming[k as keyof typeof streaming] === v),
  );
  return (
    <section>
      <h2>Streaming</h2>
      <div className="presets" role="group" aria-label="Presets">
        {STREAMING_PRESETS.map((preset) => (
          <button
            key={preset.id}
            aria-pressed={active?.id === preset.id}
            title={preset.description}
            onClick={() => void save({ streaming: preset.values }, 'streaming.presets')}
          >
            {preset.label}
          </button>
        ))}
      </div>
      <SaveStatus owner="streaming.presets" />
      <p className="hint">
        {active ? active.description : 'Custom settings.'} Changes apply from the next reply; watch the
        Latency tab.
      </p>
      {KEYS.map((key) => (
        <SettingField
          key={key}
          section="streaming"
          name={key}
          value={streaming[key]}
          onCommit={(value) => save({ streaming: { [key]: value } }, `streaming.${key}`)}
        />
      ))}
    </section>
  );
}
