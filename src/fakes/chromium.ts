/**
 * Debian's Chromium, as the browser tests and the browser benchmark launch it. Playwright never
 * downloads a browser here; SwiftShader renders WebGL without a GPU, and the background-network
 * switches keep Chromium from calling home on a machine with no internet.
 */
export const CHROMIUM_PATH = process.env.KIYO_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The overlay must speak without a click, as it does in OBS.
  '--autoplay-policy=no-user-gesture-required',
];
