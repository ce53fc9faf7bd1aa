/**
 * Writes a stand-in for an unpacked Electron (Linux) into a folder, so the packaging can be run and
 * checked without downloading Electron:
 *
 *   npx tsx scripts/stub-electron-dist.ts /tmp/electron-stub
 *   npm run dist -- --linux dir -c.electronDist=/tmp/electron-stub
 *
 * The folder has what electron-builder copies and edits: an `electron` executable and a
 * `resources` folder. The executable is a shell script (it only says it is a stub) that carries
 * Electron's fuse wire, so electron-builder's fuse step (@electron/fuses) really flips fuses in it.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The marker @electron/fuses searches for; the wire follows it. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse states as bytes in the wire ('0' off, '1' on). */
export const FUSE_OFF = 0x30;
export const FUSE_ON = 0x31;

/**
 * Electron's own defaults, in @electron/fuses' V1 order: RunAsNode, EnableCookieEncryption,
 * EnableNodeOptionsEnvironmentVariable, EnableNodeCliInspectArguments,
 * EnableEmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar,
 * LoadBrowserProcessSpecificV8Snapshot, GrantFileProtocolExtraPrivileges.
 */
export const STUB_DEFAULT_FUSES = [
  FUSE_ON,
  FUSE_OFF,
  FUSE_ON,
  FUSE_ON,
  FUSE_OFF,
  FUSE_OFF,
  FUSE_OFF,
  FUSE_ON,
];

export function writeStubElectronDist(folder: string): string {
  mkdirSync(join(folder, 'resources'), { recursive: true });
  // The wire: sentinel, wire version (1), number of fuses, one state byte per fuse.
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, STUB_DEFAULT_FUSES.length, ...STUB_DEFAULT_FUSES]),
  ]);
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\n# Electron fuse wire, for packaging checks: '),
    wire,
    Buffer.from('\necho "This is a stub standing in for Electron; it cannot run Kiyo." >&2\nexit 1\n'),
  ]);
  const binary = join(folder, 'electron');
  writeFileSync(binary, script);
  chmodSync(binary, 0o755);
  writeFileSync(join(folder, 'version'), 'stub');
  return binary;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: npx tsx scripts/stub-electron-dist.ts <folder>');
    process.exit(2);
  }
  console.log(`Stub Electron written to ${writeStubElectronDist(resolve(folder))}`);
}
