import type { BatchFrameStats, Cubism2BatchRenderer } from './cubism2-batch-renderer';

/** The same pose drawn by the Cubism 2 core's renderer and by the batched one (debug hook, tests). */
export interface RendererCheck {
  width: number;
  height: number;
  /** RGBA bytes, bottom row first (as WebGL reads them), base64. */
  core: string;
  batched: string;
  /** What each draw issued. */
  coreFrame: BatchFrameStats;
  batchedFrame: BatchFrameStats;
}

/**
 * Renders the current pose twice on the canvas — the core drawing every mesh itself, then the
 * batch — and reads each picture back before anything else can draw. The canvas ends up showing
 * the batched picture of the pose it showed, so nothing on screen changes (the frames-drawn count
 * goes up by two). Nothing advances in between: the model's update already ran this frame, and a
 * render only draws.
 */
export function checkRenderers(
  batch: Cubism2BatchRenderer,
  gl: WebGLRenderingContext,
  render: () => void,
): RendererCheck {
  const width = gl.drawingBufferWidth;
  const height = gl.drawingBufferHeight;
  const wasEnabled = batch.enabled;
  try {
    batch.enabled = false;
    render();
    const core = readPixels(gl, width, height);
    const coreFrame = batch.lastFrame;
    batch.enabled = true;
    render();
    const batched = readPixels(gl, width, height);
    return { width, height, core, batched, coreFrame, batchedFrame: batch.lastFrame };
  } finally {
    batch.enabled = wasEnabled;
  }
}

function readPixels(gl: WebGLRenderingContext, width: number, height: number): string {
  const pixels = new Uint8Array(width * height * 4);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < pixels.length; i += chunk) {
    text += String.fromCharCode(...pixels.subarray(i, i + chunk));
  }
  return btoa(text);
}
