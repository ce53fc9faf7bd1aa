import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { PreferencesBridge } from '../../../shared/preferences-api';
import { PreferencesApp } from './PreferencesApp';
import './preferences.css';

declare global {
  interface Window {
    kiyoPreferences?: PreferencesBridge;
  }
}

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {window.kiyoPreferences ? (
      <PreferencesApp bridge={window.kiyoPreferences} />
    ) : (
      <p role="alert">Open the preferences from Kiyo's tray menu.</p>
    )}
  </StrictMode>,
);
