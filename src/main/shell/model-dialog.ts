import { dialog } from 'electron';
import { findModelEntry } from '../files/model-folder';
import type { OverlayWindow } from './overlay-window';

/** Lets the user pick a Live2D model folder (model.json / model3.json) for the avatar. */
export async function chooseModel(overlay: OverlayWindow): Promise<void> {
  const result = await dialog.showOpenDialog(overlay.window, {
    title: 'Choose a Live2D model folder',
    properties: ['openDirectory'],
  });
  const folder = result.filePaths[0];
  if (result.canceled || !folder) return;
  const entry = findModelEntry(folder);
  if (!entry) {
    await dialog.showMessageBox(overlay.window, {
      type: 'warning',
      message: 'No Live2D model in that folder',
      detail:
        'Choose the folder that contains the model file (*.model3.json for Cubism 4/5, *.model.json for Cubism 2).',
    });
    return;
  }
  overlay.setModel(folder, entry);
}
