/** Vite's `?url` import: the URL of the file as emitted into the build (hashed, from the app's origin). */
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
