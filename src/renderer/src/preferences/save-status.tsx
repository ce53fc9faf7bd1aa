import { createContext, useContext, useEffect, useRef } from 'react';

/** The outcome of the last save, shown next to what was changed (`owner`), nowhere else. */
export interface SaveStatusState {
  owner: string;
  ok: boolean;
  text: string;
}

export interface SaveStatusContextValue {
  status: SaveStatusState | undefined;
  /** A value was refused before it was sent: no earlier "Saved." may stay on screen. */
  clear(): void;
}

export const SaveStatusContext = createContext<SaveStatusContextValue>({
  status: undefined,
  clear: () => {},
});

/** Makes a message end like a sentence, whatever the source wrote. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * "Saved." or why not, next to the field or control that changed. A field shows its own errors
 * (`errors={false}` here), so a refusal is said once.
 */
export function SaveStatus({ owner, errors = true }: { owner: string; errors?: boolean }) {
  const { status } = useContext(SaveStatusContext);
  const ref = useRef<HTMLParagraphElement>(null);
  const mine = status?.owner === owner ? status : undefined;
  const shown = mine && (mine.ok || errors) ? mine : undefined;
  // The last field of a tall page has its status below the fold: bring it into view.
  // In braces: Chromium's scrollIntoView may return a promise, which React would take for a cleanup.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  if (!shown) return null;
  return (
    <p ref={ref} className={shown.ok ? 'save-status' : 'field-error'} role={shown.ok ? 'status' : 'alert'}>
      {shown.text}
    </p>
  );
}
