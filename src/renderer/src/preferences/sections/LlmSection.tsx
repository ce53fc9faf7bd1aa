import { useState } from 'react';
import { originOf } from '../../../../shared/origin';
import { PROVIDER_PRESETS, providerOf } from '../../../../shared/presets';
import { SettingField } from '../SettingField';
import type { SectionProps } from '../PreferencesApp';
import { SaveStatus } from '../save-status';

export function LlmSection({ bridge, settings, save }: SectionProps) {
  const llm = settings.llm;
  const [models, setModels] = useState<string[]>([]);
  const [modelsError, setModelsError] = useState('');
  const [test, setTest] = useState('');
  const [keyDraft, setKeyDraft] = useState('');
  const [replacingKey, setReplacingKey] = useState(!llm.apiKeySet);
  const provider = providerOf(llm);
  // Main sends the saved key only to the origin it was entered for; a new one needs a yes.
  const serverOrigin = originOf(llm.baseUrl);
  const keyElsewhere = llm.apiKeySet && llm.apiKeyOrigin !== serverOrigin;
  const [keyError, setKeyError] = useState('');
  const confirmKey = async () => {
    const result = await bridge.confirmApiKeyOrigin();
    setKeyError(result.ok ? '' : result.errors.map((e) => e.replace(/^[\w.]+: /, '')).join(' '));
  };

  const chooseProvider = (id: string) => {
    const preset = PROVIDER_PRESETS.find((p) => p.id === id);
    if (preset && preset.id !== 'custom')
      void save({ llm: { baseUrl: preset.baseUrl, model: preset.model } }, 'llm.provider');
  };
  const fetchModels = async () => {
    setModelsError('');
    const result = await bridge.listModels();
    if (result.ok) setModels(result.models);
    else setModelsError(result.error);
  };
  const testConnection = async () => {
    setTest('Testing…');
    const result = await bridge.testConnection();
    setTest(
      result.ok ? `Connected to ${result.model}: first token after ${result.firstTokenMs} ms.` : result.error,
    );
  };
  const saveKey = async (key: string | null) => {
    const error = await save({ llm: { apiKey: key } }, 'llm.apiKey');
    if (!error) {
      setKeyDraft('');
      setReplacingKey(key === null);
    }
  };
  const field = (name: keyof typeof llm) => (
    <SettingField
      section="llm"
      name={name}
      value={llm[name]}
      onCommit={(value) => save({ llm: { [name]: value } }, `llm.${name}`)}
    />
  );

  return (
    <section>
      <h2>LLM</h2>
      <div className="field">
        <label htmlFor="provider">Provider</label>
        <select id="provider" value={provider} onChange={(e) => chooseProvider(e.target.value)}>
          {PROVIDER_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
        <SaveStatus owner="llm.provider" />
      </div>
      {field('baseUrl')}
      <SettingField
        section="llm"
        name="model"
        value={llm.model}
        onCommit={(value) => save({ llm: { model: value } }, 'llm.model')}
      />
      <div className="row">
        <button onClick={() => void fetchModels()}>Fetch models</button>
        {models.length > 0 && (
          <select
            aria-label="Models on the server"
            value={llm.model}
            onChange={(e) => void save({ llm: { model: e.target.value } }, 'llm.models')}
          >
            {!models.includes(llm.model) && <option>{llm.model}</option>}
            {models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        )}
      </div>
      <SaveStatus owner="llm.models" />
      {modelsError && (
        <p role="alert" className="field-error">
          {modelsError}
        </p>
      )}
      <div className="field">
        <label htmlFor="api-key">API key</label>
        {replacingKey ? (
          <div className="row">
            <input
              id="api-key"
              type="password"
              autoComplete="off"
              placeholder={llm.apiKeySet ? 'New key' : 'Empty for local servers'}
              value={keyDraft}
              onChange={(e) => setKeyDraft(e.target.value)}
            />
            <button disabled={keyDraft.trim() === ''} onClick={() => void saveKey(keyDraft)}>
              Save key
            </button>
          </div>
        ) : (
          <div className="row">
            <span aria-label="API key stored">••••••••</span>
            <button onClick={() => setReplacingKey(true)}>Replace</button>
            <button onClick={() => void saveKey(null)}>Remove</button>
          </div>
        )}
        {keyElsewhere && (
          <div className="row" role="group" aria-label="Saved key for another server">
            <span>
              Your saved key is for {llm.apiKeyOrigin || 'another server'}, so it is not sent to{' '}
              {serverOrigin}.
            </span>
            <button onClick={() => void confirmKey()}>Use my saved key with {serverOrigin}</button>
          </div>
        )}
        {keyError && (
          <p role="alert" className="field-error">
            {keyError}
          </p>
        )}
        <p className="hint">Stored encrypted by the system keychain; never shown again.</p>
        <SaveStatus owner="llm.apiKey" />
      </div>
      {field('temperature')}
      {field('maxTokens')}
      {field('maxRetries')}
      {field('maxRetryWaitMs')}
      {field('maxReplyChars')}
      {field('stallTimeoutMs')}
      <div className="row">
        <button onClick={() => void testConnection()}>Test connection</button>
        <span role="status" aria-label="Connection test">
          {test}
        </span>
      </div>
    </section>
  );
}
