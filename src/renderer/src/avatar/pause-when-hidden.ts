import type { KiyoBridge } from '../../../shared/ipc';
import type { FrameClock } from './frame-clock';

/**
 * Stops the avatar drawing while nobody can see it, and starts it again at once:
 *  - the page is hidden (`visibilitychange`): a background tab; Electron's hidden or minimised window
 *    (backgroundThrottling, on by default); a window fully covered by others, where Chromium's
 *    occlusion detection runs (Windows, macOS); OBS when the source is not shown;
 *  - the desktop window says it was hidden or minimised (the bridge), whatever the platform does
 *    with page visibility;
 *  - OBS's own `obsSourceVisibleChanged` event, for OBS versions that leave the page visible.
 * Returns the function that stops watching.
 */
export function pauseWhenHidden(
  clock: FrameClock,
  bridge: Pick<KiyoBridge, 'onWindowVisible'>,
  page: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'> = document,
  host: Pick<Window, 'addEventListener' | 'removeEventListener'> = window,
): () => void {
  const onPage = () => clock.setHidden('page', page.visibilityState === 'hidden');
  const onObs = (event: Event) =>
    clock.setHidden('obs-source', (event as CustomEvent<{ visible?: unknown }>).detail?.visible === false);
  onPage();
  page.addEventListener('visibilitychange', onPage);
  host.addEventListener('obsSourceVisibleChanged', onObs);
  const offWindow = bridge.onWindowVisible?.((visible) => clock.setHidden('window', !visible));
  return () => {
    page.removeEventListener('visibilitychange', onPage);
    host.removeEventListener('obsSourceVisibleChanged', onObs);
    offWindow?.();
  };
}
