import { useEffect, useState, type FormEvent } from 'react';
import type { KiyoBridge } from '../../shared/ipc';

interface Props {
  bridge: KiyoBridge;
}

/** Chat input, the reply as it streams, the sentence being spoken, and any error in plain words. */
export function App({ bridge }: Props) {
  const [input, setInput] = useState('');
  const [reply, setReply] = useState('');
  const [subtitle, setSubtitle] = useState('');
  const [error, setError] = useState('');

  useEffect(
    () =>
      bridge.onEvent((event) => {
        if (event.type === 'turn-start') {
          setReply('');
          setError('');
        } else if (event.type === 'text') setReply((r) => r + event.delta);
        else if (event.type === 'segment') setSubtitle(event.displayText);
        else if (event.type === 'error') setError(event.message);
      }),
    [bridge],
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = input.trim();
    if (!text) return;
    const result = await bridge.say(text);
    if (result.ok) setInput('');
    else setError(result.error);
  };

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 16 }}>
      <p aria-label="subtitle">{subtitle}</p>
      <p aria-label="reply" style={{ opacity: 0.7 }}>
        {reply}
      </p>
      {error && (
        <p role="alert" style={{ color: '#b00020' }}>
          {error}
        </p>
      )}
      <form onSubmit={submit}>
        <input
          aria-label="Say something to Kiyo"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          style={{ width: '75%' }}
        />
        <button type="submit">Send</button>
      </form>
    </main>
  );
}
