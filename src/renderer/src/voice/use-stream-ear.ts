import { useEffect, useState } from 'react';
import type { KiyoBridge } from '../../../shared/ipc';
import type { EarState } from '../../../shared/voice-input';

/**
 * The desktop ear's state as main sends it to the OBS page, only while `listen.showStateOnStream`
 * is on; 'off' (nothing shown) otherwise, and on a bridge without the subscription (the desktop
 * page has its own ear).
 */
export function useStreamEarState(bridge: KiyoBridge): EarState {
  const [state, setState] = useState<EarState>('off');
  useEffect(() => bridge.onEarState?.(setState), [bridge]);
  return state;
}
