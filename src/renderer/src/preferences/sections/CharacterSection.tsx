import { useEffect, useState } from 'react';
import type { OverlayState } from '../../../../shared/ipc';
import { SettingField } from '../SettingField';
import { EmotionMapEditor } from './EmotionMapEditor';
import type { SectionProps } from '../PreferencesApp';

export function CharacterSection({ bridge, settings, save }: SectionProps) {
  const [overlay, setOverlay] = useState<OverlayState | undefined>();
  useEffect(() => void bridge.getOverlay().then(setOverlay), [bridge]);
  const field = (name: keyof typeof settings.character, multiline = false) => (
    <SettingField
      section="character"
      name={name}
      value={settings.character[name]}
      multiline={multiline}
      onCommit={(value) => save({ character: { [name]: value } }, `character.${name}`)}
    />
  );
  return (
    <section>
      <h2>Character</h2>
      {field('name')}
      {field('systemPrompt', true)}
      {field('historyMaxMessages')}
      {field('emotionTags')}
      <div className="field">
        <label>Avatar model</label>
        <div className="row">
          <span aria-label="Avatar model in use">
            {overlay?.modelEntry ? `${overlay.modelEntry} (${overlay.modelFolder})` : 'Shizuku (built in)'}
          </span>
          <button onClick={() => void bridge.chooseAvatar().then(setOverlay)}>Choose a model folder…</button>
          {overlay?.modelEntry && (
            <button onClick={() => void bridge.useDefaultAvatar().then(setOverlay)}>
              Use the built-in one
            </button>
          )}
        </div>
        <p className="hint">
          A folder with a Live2D model: *.model3.json (Cubism 4/5) or *.model.json (Cubism 2).
        </p>
      </div>
      {overlay && (
        <EmotionMapEditor
          bridge={bridge}
          overlay={overlay}
          emotionTags={settings.character.emotionTags}
          onOverlay={setOverlay}
        />
      )}
    </section>
  );
}
