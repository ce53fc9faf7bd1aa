import { useState } from 'react';
import { useChatPanel } from './use-chat-panel';

/**
 * The optional Twitch sign-in, to post Kiyo's answers in chat. Write-only: the token goes to main,
 * which stores it encrypted and sends it only to Twitch; this page learns only whether one is set.
 */
export function TwitchSignIn() {
  const { bridge, info, refresh } = useChatPanel();
  const [token, setToken] = useState('');
  const [clientId, setClientId] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  if (!bridge || !info) return null;
  const save = async () => {
    const result = await bridge.setSignIn({ token, clientId });
    if (!result.ok) return setMessage(`Not saved: ${result.error}.`);
    setToken('');
    setMessage(
      result.persisted === false
        ? 'Signed in for this session only: this system offers no secure storage.'
        : 'Saved (encrypted).',
    );
    refresh();
  };
  return (
    <div className="field twitch-sign-in">
      <p>
        Twitch sign-in: <b>{info.signedIn ? 'set' : 'none (chat is read anonymously)'}</b>
      </p>
      <label>
        Token{' '}
        <input
          type="password"
          autoComplete="off"
          value={token}
          placeholder={info.signedIn ? '••••••••' : 'oauth token'}
          onChange={(e) => setToken(e.target.value)}
        />
      </label>{' '}
      <label>
        Client ID <input type="text" value={clientId} onChange={(e) => setClientId(e.target.value)} />
      </label>{' '}
      <button disabled={!token || !clientId} onClick={() => void save()}>
        Save sign-in
      </button>{' '}
      {info.signedIn && (
        <button onClick={() => void bridge.clearSignIn().then(refresh)}>Remove sign-in</button>
      )}
      {message && <p role="status">{message}</p>}
    </div>
  );
}
