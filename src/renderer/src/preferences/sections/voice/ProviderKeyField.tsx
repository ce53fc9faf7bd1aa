import { useState } from 'react';
import { SaveStatus } from '../../save-status';

interface Props {
  id: string;
  isSet: boolean;
  /** Saves a new key, or null to remove it; resolves to why it was refused, if it was. */
  save(key: string | null): Promise<string | undefined>;
  owner: string;
}

/** A voice service's API key: typed once, stored encrypted by main, never shown or sent back. */
export function ProviderKeyField({ id, isSet, save, owner }: Props) {
  const [replacing, setReplacing] = useState(!isSet);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | undefined>();
  const commit = async (key: string | null) => {
    const refused = await save(key);
    setError(refused);
    if (!refused) {
      setDraft('');
      setReplacing(key === null);
    }
  };
  return (
    <div className="field" data-setting={owner}>
      <label htmlFor={`${id}-api-key`}>API key</label>
      {replacing ? (
        <div className="row">
          <input
            id={`${id}-api-key`}
            type="password"
            autoComplete="off"
            placeholder={isSet ? 'New key' : 'Empty for local servers'}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button disabled={draft.trim() === ''} onClick={() => void commit(draft)}>
            Save key
          </button>
        </div>
      ) : (
        <div className="row">
          <span aria-label="API key stored">••••••••</span>
          <button onClick={() => setReplacing(true)}>Replace</button>
          <button onClick={() => void commit(null)}>Remove</button>
        </div>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <p className="hint">
        Stored encrypted by the system keychain and sent only to the server it was entered for.
      </p>
      <SaveStatus owner={owner} />
    </div>
  );
}
