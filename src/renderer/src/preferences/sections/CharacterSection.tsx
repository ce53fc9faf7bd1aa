import { SettingField } from '../SettingField';
import type { SectionProps } from '../PreferencesApp';

export function CharacterSection({ settings, save }: SectionProps) {
  const field = (name: keyof typeof settings.character, multiline = false) => (
    <SettingField
      section="character"
      name={name}
      value={settings.character[name]}
      multiline={multiline}
      onCommit={(value) => save({ character: { [name]: value } })}
    />
  );
  return (
    <section>
      <h2>Character</h2>
      {field('name')}
      {field('systemPrompt', true)}
      {field('historyMaxMessages')}
      <p className="hint">The avatar model is chosen from the tray menu (Choose avatar model…).</p>
    </section>
  );
}
