import { useEffect, useState } from 'react';
import {
  DEFAULT_EMOTIONS,
  emotionMapFor,
  type EmotionAction,
  type EmotionMap,
  type ModelCatalog,
} from '../../../../shared/emotion-map';
import { emotionNames } from '../../../../shared/emotion-tags';
import type { OverlayState } from '../../../../shared/ipc';
import type { PreferencesBridge } from '../../../../shared/preferences-api';

type Kind = keyof EmotionAction;
const KINDS: Kind[] = ['expression', 'motion'];

/**
 * Emotion → expression and motion for the model shown, picked from that model's own lists (read
 * from its model file by main), each with a preview button that plays it on the desktop overlay.
 * Saved per model with the overlay state; the bundled model starts with Kiyo's defaults.
 */
export function EmotionMapEditor(props: {
  bridge: PreferencesBridge;
  overlay: OverlayState;
  emotionTags: string;
  onOverlay(state: OverlayState): void;
}) {
  const { bridge, overlay } = props;
  const [catalog, setCatalog] = useState<ModelCatalog | undefined>();
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const { modelFolder, modelEntry } = overlay;

  useEffect(() => {
    let current = true;
    setCatalog(undefined);
    setProblem('');
    void bridge.getAvatarCatalog().then((result) => {
      if (!current) return;
      if (result.ok) setCatalog({ expressions: result.expressions, motions: result.motions });
      else setProblem(result.error);
    });
    return () => {
      current = false;
    };
  }, [bridge, modelFolder, modelEntry]);

  const map = emotionMapFor(overlay);
  const tagged = emotionNames(props.emotionTags);
  const emotions = [...new Set([...(tagged.length > 0 ? tagged : DEFAULT_EMOTIONS), ...Object.keys(map)])];

  const change = async (emotion: string, kind: Kind, name: string) => {
    const action: EmotionAction = { ...map[emotion] };
    if (name) action[kind] = name;
    else delete action[kind];
    const next: EmotionMap = { ...map };
    if (action.expression || action.motion) next[emotion] = action;
    else delete next[emotion];
    try {
      props.onOverlay(await bridge.updateOverlay({ emotionMap: next }));
      setStatus(`Saved: ${emotion} → ${describe(next[emotion])}.`);
    } catch (error) {
      setStatus(`Not saved: ${(error as Error).message}`);
    }
  };

  const options = (kind: Kind, chosen: string | undefined) => {
    const names = (kind === 'expression' ? catalog?.expressions : catalog?.motions) ?? [];
    // A name kept from before that this model does not have stays visible, marked, not dropped.
    const all = chosen && !names.includes(chosen) ? [chosen, ...names] : names;
    return all.map((name) => (
      <option key={name} value={name}>
        {names.includes(name) || !catalog ? name : `${name} (not in this model)`}
      </option>
    ));
  };

  return (
    <div className="field emotion-map">
      <label id="emotion-map-label">Emotions → expressions and motions</label>
      <p className="hint">
        When the part of a reply tagged with an emotion starts playing, the avatar takes this expression and
        plays this motion (a random one of the group). Saved for this model only.
      </p>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <table aria-labelledby="emotion-map-label">
        <tbody>
          {emotions.map((emotion) => (
            <tr key={emotion}>
              <th scope="row">{emotion}</th>
              {KINDS.map((kind) => {
                const chosen = map[emotion]?.[kind];
                return (
                  <td key={kind}>
                    <select
                      aria-label={`${emotion} ${kind}`}
                      value={chosen ?? ''}
                      onChange={(e) => void change(emotion, kind, e.target.value)}
                    >
                      <option value="">{kind === 'expression' ? 'no expression' : 'no motion'}</option>
                      {options(kind, chosen)}
                    </select>
                    <button
                      aria-label={`Preview ${emotion} ${kind}`}
                      disabled={!chosen}
                      onClick={() => chosen && void bridge.previewAvatar({ [kind]: chosen })}
                    >
                      ▶
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {status && (
        <p className={status.startsWith('Saved') ? 'save-status' : 'field-error'} role="status">
          {status}
        </p>
      )}
    </div>
  );
}

function describe(action: EmotionAction | undefined): string {
  if (!action) return 'nothing';
  return [action.expression && `expression ${action.expression}`, action.motion && `motion ${action.motion}`]
    .filter(Boolean)
    .join(', ');
}
