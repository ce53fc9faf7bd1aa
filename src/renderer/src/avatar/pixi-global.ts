import * as PIXI from 'pixi.js';
import { install as installUnsafeEvalFree } from '@pixi/unsafe-eval';

// The strict CSP forbids eval; this swaps pixi's generated shader-upload code for a static version.
installUnsafeEvalFree(PIXI);
PIXI.utils.skipHello();

// pixi-live2d-display looks for PIXI on window when it loads; this module is imported first.
(window as unknown as { PIXI: typeof PIXI }).PIXI = PIXI;

export { PIXI };
