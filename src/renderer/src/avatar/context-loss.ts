/**
 * A GPU reset (a driver update, a game's crash taking the GPU down, Windows' TDR) takes the
 * overlay's WebGL context with it. The browser restores the context only if the page asked for it
 * (preventDefault on the loss), and what lived in the old one (the model's textures, the batched
 * renderer's buffers and program) is gone even though the context object is the same. Without
 * this the avatar stayed invisible for the rest of the day while every frame drew nothing.
 */
export interface ContextLossWatch {
  /** True between the loss and the restore: drawing then only produces WebGL errors. */
  readonly lost: boolean;
  /** Times the context was restored (for the debug hook and tests). */
  readonly restores: number;
  stop(): void;
}

export function watchContextLoss(canvas: HTMLCanvasElement, onRestored: () => void): ContextLossWatch {
  let lost = false;
  let restores = 0;
  const onLost = (event: Event) => {
    // Without this the browser never restores the context.
    event.preventDefault();
    lost = true;
    console.warn('avatar: the WebGL context was lost (GPU reset); waiting for it to come back');
  };
  const onRestore = () => {
    lost = false;
    restores++;
    console.warn('avatar: the WebGL context is back; reloading the model');
    onRestored();
  };
  canvas.addEventListener('webglcontextlost', onLost);
  canvas.addEventListener('webglcontextrestored', onRestore);
  return {
    get lost() {
      return lost;
    },
    get restores() {
      return restores;
    },
    stop() {
      canvas.removeEventListener('webglcontextlost', onLost);
      canvas.removeEventListener('webglcontextrestored', onRestore);
    },
  };
}
