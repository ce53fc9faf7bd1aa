import { useContext, useEffect, useId, useRef, useState } from 'react';
import { fieldInfo, validationMessage, type Section } from './field-info';
import { SaveStatus, SaveStatusContext, sentence } from './save-status';

interface Props {
  section: Section;
  name: string;
  value: unknown;
  /** Sent only for valid values; resolves to why the app refused it, if it did. */
  onCommit(value: unknown): Promise<string | undefined>;
  multiline?: boolean;
  options?: readonly string[];
}

/**
 * One setting: label, input, unit, range, default and explanation from the schema. Text and
 * numbers commit on blur or Enter, switches and lists at once; an invalid value stays in the
 * field with a message and is never sent.
 */
export function SettingField({ section, name, value, onCommit, multiline, options }: Props) {
  const info = fieldInfo(section, name);
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | undefined>();
  const { clear } = useContext(SaveStatusContext);
  const errorRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    errorRef.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);

  // Says what was refused and what stays in effect, so "Saved." is never the last word on it.
  const notSaved = (why: string) => {
    const kept =
      typeof value === 'boolean'
        ? value
          ? 'on'
          : 'off'
        : String(value).length > 40 || value === ''
          ? 'the previous value'
          : `${String(value)}${info.unit ? ` ${info.unit}` : ''}`;
    return `Not saved: ${sentence(why)} Kiyo keeps using ${kept}.`;
  };

  const commit = async (next: unknown) => {
    const problem = validationMessage(info, next);
    if (problem) {
      clear();
      setError(notSaved(problem));
      return;
    }
    setError(undefined);
    if (next === value || (Array.isArray(next) && JSON.stringify(next) === JSON.stringify(value))) return;
    const refused = await onCommit(next);
    setError(refused ? notSaved(refused) : undefined);
  };

  const range =
    info.min !== undefined && info.max !== undefined
      ? `${info.min}–${info.max}${info.unit ? ` ${info.unit}` : ''}`
      : '';
  const shownDefault = Array.isArray(info.defaultValue)
    ? info.defaultValue.join(' / ')
    : typeof info.defaultValue === 'string' && info.defaultValue.length > 40
      ? ''
      : String(info.defaultValue ?? '');
  let input;
  if (Array.isArray(value)) {
    // A list of short texts (phrases): one per line; blank lines are dropped when it is saved.
    const lines = draft as string[];
    input = (
      <textarea
        id={id}
        rows={Math.min(8, Math.max(3, lines.length + 1))}
        value={lines.join('\n')}
        onChange={(e) => setDraft(e.target.value.split('\n'))}
        onBlur={() => void commit(lines.map((l) => l.trim()).filter((l) => l !== ''))}
        aria-invalid={error !== undefined}
      />
    );
  } else if (typeof value === 'boolean') {
    input = (
      <input
        id={id}
        type="checkbox"
        checked={draft as boolean}
        onChange={(e) => void commit(e.target.checked)}
      />
    );
  } else if (options) {
    input = (
      <select id={id} value={draft as string} onChange={(e) => void commit(e.target.value)}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  } else if (typeof value === 'number') {
    input = (
      <input
        id={id}
        type="number"
        value={Number.isNaN(draft as number) ? '' : (draft as number)}
        min={info.min}
        max={info.max}
        step={Number.isInteger(value) && info.schema.safeParse(0.5).success === false ? 1 : 0.1}
        onChange={(e) => setDraft(e.target.value === '' ? Number.NaN : Number(e.target.value))}
        onBlur={() => void commit(draft)}
        onKeyDown={(e) => e.key === 'Enter' && void commit(draft)}
        aria-invalid={error !== undefined}
      />
    );
  } else if (multiline) {
    input = (
      <textarea
        id={id}
        rows={5}
        value={draft as string}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void commit(draft)}
        aria-invalid={error !== undefined}
      />
    );
  } else {
    input = (
      <input
        id={id}
        type="text"
        value={draft as string}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void commit(draft)}
        onKeyDown={(e) => e.key === 'Enter' && void commit(draft)}
        aria-invalid={error !== undefined}
      />
    );
  }

  return (
    <div className="field" data-setting={`${section}.${name}`}>
      <label htmlFor={id}>
        {info.label}
        {info.unit && <span className="unit"> ({info.unit})</span>}
      </label>
      {input}
      <p className="hint">
        {info.description}
        {range && <span> Range {range}.</span>}
        {shownDefault !== '' && <span> Default {shownDefault}.</span>}
      </p>
      {error ? (
        <p ref={errorRef} className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <SaveStatus owner={`${section}.${name}`} errors={false} />
      )}
    </div>
  );
}
