import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getBridge } from './bridge';
import { Overlay } from './overlay/Overlay';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Overlay bridge={getBridge()} />
  </StrictMode>,
);
