// Must NOT type-check under tsconfig.web.json: the renderer has no Node (see web-typecheck.test.ts).
import { readFileSync } from 'node:fs';

export const readsFiles = readFileSync;
export const usesBuffer = (text: string): number => Buffer.byteLength(text);
