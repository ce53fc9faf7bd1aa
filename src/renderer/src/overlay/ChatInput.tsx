import { useState, type FormEvent } from 'react';
import { SAY_MAX_CHARS } from '../../../shared/ipc';

/** The counter appears this close to the limit, so a long paste is never a surprise. */
const COUNT_FROM = Math.floor(SAY_MAX_CHARS * 0.9);
const count = (n: number) => n.toLocaleString('en-US');

/**
 * The desktop chat input. Nothing is ever cut: text over the limit stays in the field, is not
 * sent, and a message says by how much it is too long. `send` resolves to an error or undefined.
 */
export function ChatInput({ send }: { send(text: string): Promise<string | undefined> }) {
  const [input, setInput] = useState('');
  const [error, setError] = useState('');
  const length = input.trim().length;
  const tooLong = length > SAY_MAX_CHARS;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = input.trim();
    if (!text || tooLong) return;
    const problem = await send(text);
    if (problem) setError(problem);
    else setInput('');
  };

  return (
    <form className="chat" onSubmit={(e) => void submit(e)}>
      {tooLong ? (
        <p className="chat-count too-long" role="alert" data-testid="chat-count">
          Too long to send: {count(length)} characters, and Kiyo reads at most {count(SAY_MAX_CHARS)}. Shorten
          it by {count(length - SAY_MAX_CHARS)}.
        </p>
      ) : (
        length >= COUNT_FROM && (
          <p className="chat-count" data-testid="chat-count">
            {count(length)} / {count(SAY_MAX_CHARS)}
          </p>
        )
      )}
      {error && !tooLong && (
        <p className="chat-count too-long" role="alert">
          {error}
        </p>
      )}
      <input
        aria-label="Say something to Kiyo"
        placeholder="Say something…"
        value={input}
        aria-invalid={tooLong}
        onChange={(e) => {
          setInput(e.target.value);
          setError('');
        }}
      />
    </form>
  );
}
