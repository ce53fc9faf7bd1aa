// Must type-check under tsconfig.web.json: proves the project itself is sound (see web-typecheck.test.ts).
export const title = (): string => document.title;
export const later = (run: () => void): number => window.setTimeout(run, 0);
