#!/usr/bin/env node
/**
 * `npm run security`: Electronegativity over src/ plus a few checks of our own, read statically.
 *
 * Fails (exit 1) when
 *  - Electronegativity reports a MEDIUM or HIGH finding that security-accepted.json does not list,
 *    or cannot parse a source file (that file would then go unchecked);
 *  - src/main/shell/secure-window.ts stops creating windows with contextIsolation, sandbox,
 *    webSecurity and without nodeIntegration, or stops blocking navigation and new windows;
 *  - a BrowserWindow / BrowserView / WebContentsView is created anywhere else in src/main;
 *  - a page's CSP (src/renderer/*.html, and the header set in src/main/shell/session-policy.ts) allows eval,
 *    inline script or script from anywhere but the app itself;
 *  - a permission handler (request, check, device) is installed anywhere but session-policy.ts, or
 *    that file stops routing requests and checks through isPermissionAllowed (the microphone for
 *    the overlay page only) and refusing device permissions.
 *
 * LOW / informational findings are printed, never fatal. Accepted findings that no longer match
 * anything are reported so the list stays honest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const SECURE_WINDOW = 'src/main/shell/secure-window.ts';
const PAGES = ['src/renderer/index.html', 'src/renderer/preferences.html'];
const CSP_HEADER_FILE = 'src/main/shell/session-policy.ts';
const FATAL_SEVERITY = 2; // Electronegativity: 3 HIGH, 2 MEDIUM, 1 LOW, 0 INFORMATIONAL

const problems = [];
const fail = (where, message) => problems.push(`${where}: ${message}`);
const read = (file) => readFileSync(join(ROOT, file), 'utf8');

// ---------------------------------------------------------------------------------------------
// 1. Electronegativity

/** The Electron we build against: src/ has no package.json, and unknown means "assume 0.1.0". */
function electronVersion() {
  try {
    return require('electron/package.json').version;
  } catch {
    const range = JSON.parse(read('package.json')).devDependencies?.electron ?? '';
    return /\d+\.\d+\.\d+/.exec(range)?.[0];
  }
}

function loadAccepted() {
  const list = JSON.parse(read('security-accepted.json'));
  if (!Array.isArray(list)) throw new Error('security-accepted.json must be an array');
  for (const entry of list) {
    for (const key of ['check', 'file', 'sample', 'justification'])
      if (typeof entry[key] !== 'string' || entry[key].trim() === '')
        throw new Error(`security-accepted.json: every entry needs a non-empty "${key}"`);
  }
  return list.map((entry) => ({ ...entry, used: 0 }));
}

async function runElectronegativity() {
  const run = require('@doyensec/electronegativity');
  const version = electronVersion();
  if (!version) fail('electronegativity', 'cannot tell the Electron version (node_modules/electron)');
  const result = await run({
    input: SRC,
    isRelative: false,
    electronVersionOverride: version,
    // Downloads Electron's release list, then only reports on a package.json, which src/ has none of
    // (keeping Electron patched is npm audit's and Dependabot's job).
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  });
  const accepted = loadAccepted();
  const low = [];
  const rejected = [];

  for (const error of result.errors) {
    const file = relative(ROOT, error.file);
    if (error.tolerable) console.warn(`  note: ${file} parsed with a warning: ${error.message}`);
    else fail(file, `Electronegativity could not parse it, so it was not checked: ${error.message}`);
  }

  for (const issue of result.issues) {
    const file = relative(SRC, issue.file).split(sep).join('/');
    const line = typeof issue.sample === 'string' ? issue.sample.trim() : '';
    const where = `src/${file}:${issue.location.line}:${issue.location.column}`;
    const text = `${issue.id} [${issue.severity.name}/${issue.confidence.name}] ${where} ${line.slice(0, 100)}\n      ${issue.description} (${issue.shortenedURL})`;
    if (issue.severity.value < FATAL_SEVERITY) {
      low.push(text);
      continue;
    }
    const match = accepted.find((a) => a.check === issue.id && a.file === file && line.includes(a.sample));
    if (match) match.used += 1;
    else rejected.push(text);
  }

  console.log(
    `electronegativity (Electron ${version}): ${result.issues.length} finding(s), ` +
      `${rejected.length} not accepted at MEDIUM/HIGH, ${low.length} LOW/informational`,
  );
  for (const text of low) console.log(`  info: ${text}`);
  for (const text of rejected) fail('electronegativity', text);
  for (const entry of accepted.filter((a) => a.used === 0))
    console.warn(
      `  stale: security-accepted.json entry ${entry.check} in ${entry.file} ("${entry.sample}") ` +
        'matched nothing: remove it',
    );
}

// ---------------------------------------------------------------------------------------------
// 2. secure-window.ts, read with the TypeScript parser

const REQUIRED_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
};
const MUST_NOT_BE_TRUE = [
  'nodeIntegrationInSubFrames',
  'nodeIntegrationInWorker',
  'allowRunningInsecureContent',
  'experimentalFeatures',
  'webviewTag',
];

function parse(file) {
  return ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function walk(node, visit) {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

const propertyName = (p) =>
  p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '';

function literalValue(expr) {
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isStringLiteralLike(expr)) return expr.text;
  return undefined; // not a literal: cannot be verified statically
}

function checkSecureWindow() {
  const source = parse(SECURE_WINDOW);
  const windows = [];
  const handlers = [];
  walk(source, (node) => {
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'BrowserWindow'
    )
      windows.push(node);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) handlers.push(node);
  });
  if (windows.length === 0) fail(SECURE_WINDOW, 'no `new BrowserWindow(...)` found');

  for (const node of windows) {
    const at = `${SECURE_WINDOW}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const options = node.arguments?.[0];
    if (!options || !ts.isObjectLiteralExpression(options)) {
      fail(at, 'BrowserWindow options must be an object literal so they can be checked');
      continue;
    }
    const index = options.properties.findIndex((p) => propertyName(p) === 'webPreferences');
    const prefs = options.properties[index];
    if (!prefs || !ts.isPropertyAssignment(prefs) || !ts.isObjectLiteralExpression(prefs.initializer)) {
      fail(at, 'webPreferences must be an object literal');
      continue;
    }
    if (options.properties.slice(index + 1).some((p) => ts.isSpreadAssignment(p)))
      fail(at, 'a spread after webPreferences could replace it');
    if (prefs.initializer.properties.some((p) => ts.isSpreadAssignment(p)))
      fail(at, 'a spread inside webPreferences could override the secure values');
    const values = new Map();
    for (const p of prefs.initializer.properties)
      if (ts.isPropertyAssignment(p)) values.set(propertyName(p), literalValue(p.initializer));
      else if (ts.isShorthandPropertyAssignment(p)) values.set(propertyName(p), undefined);
    for (const [key, expected] of Object.entries(REQUIRED_PREFERENCES))
      if (values.get(key) !== expected) fail(at, `webPreferences.${key} must be the literal ${expected}`);
    for (const key of MUST_NOT_BE_TRUE)
      if (values.has(key) && values.get(key) !== false)
        fail(at, `webPreferences.${key} must be absent or false`);
    if (values.has('enableBlinkFeatures')) fail(at, 'webPreferences.enableBlinkFeatures must not be set');
  }

  const text = (node) => node.getText(source);
  const on = (event) =>
    handlers.filter(
      (call) =>
        ['on', 'once'].includes(call.expression.name.text) &&
        call.arguments[0] &&
        ts.isStringLiteralLike(call.arguments[0]) &&
        call.arguments[0].text === event,
    );
  for (const event of ['will-navigate', 'will-attach-webview']) {
    const found = on(event);
    if (found.length === 0) fail(SECURE_WINDOW, `no '${event}' handler`);
    else if (!found.some((call) => call.arguments[1] && /\.preventDefault\(\)/.test(text(call.arguments[1]))))
      fail(SECURE_WINDOW, `the '${event}' handler must call event.preventDefault()`);
  }
  const openHandlers = handlers.filter((call) => call.expression.name.text === 'setWindowOpenHandler');
  if (openHandlers.length === 0) fail(SECURE_WINDOW, 'no setWindowOpenHandler');
  for (const call of openHandlers) {
    const body = call.arguments[0] ? text(call.arguments[0]) : '';
    if (!/action:\s*['"]deny['"]/.test(body) || /['"]allow['"]/.test(body))
      fail(SECURE_WINDOW, "setWindowOpenHandler must always return { action: 'deny' }");
  }
}

const PERMISSION_HANDLERS = [
  'setPermissionRequestHandler',
  'setPermissionCheckHandler',
  'setDevicePermissionHandler',
];

/** The permission rule lives in one place, and that place applies it. */
function checkPermissionHandlers() {
  for (const file of mainSourceFiles()) {
    walk(parse(file), (node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        PERMISSION_HANDLERS.includes(node.expression.name.text) &&
        file !== CSP_HEADER_FILE
      )
        fail(
          file,
          `${node.expression.name.text} outside ${CSP_HEADER_FILE}: permissions are decided there only`,
        );
    });
  }
  const source = parse(CSP_HEADER_FILE);
  const calls = new Map();
  walk(source, (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      PERMISSION_HANDLERS.includes(node.expression.name.text)
    )
      calls.set(node.expression.name.text, node.arguments[0] ? node.arguments[0].getText(source) : '');
  });
  for (const name of ['setPermissionRequestHandler', 'setPermissionCheckHandler'])
    if (!/isPermissionAllowed\(/.test(calls.get(name) ?? ''))
      fail(CSP_HEADER_FILE, `${name} must decide through isPermissionAllowed`);
  if (!/=>\s*false\s*$/.test((calls.get('setDevicePermissionHandler') ?? '').trim()))
    fail(CSP_HEADER_FILE, 'setDevicePermissionHandler must always refuse (() => false)');
}

function mainSourceFiles() {
  return readdirSync(join(SRC, 'main'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name))
    .map((entry) =>
      relative(ROOT, join(entry.parentPath ?? entry.path, entry.name))
        .split(sep)
        .join('/'),
    );
}

/** Windows and views made anywhere else would not get the secure webPreferences. */
function checkNoOtherWindows() {
  const files = readdirSync(join(SRC, 'main'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name))
    .map((entry) =>
      relative(ROOT, join(entry.parentPath ?? entry.path, entry.name))
        .split(sep)
        .join('/'),
    );
  for (const file of files) {
    if (file === SECURE_WINDOW) continue;
    walk(parse(file), (node) => {
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        ['BrowserWindow', 'BrowserView', 'WebContentsView'].includes(node.expression.text)
      )
        fail(file, `new ${node.expression.text}(...) outside ${SECURE_WINDOW}: use createSecureWindow`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Content-Security-Policy

/** Sources a script may come from: the app itself, hashes and nonces. No hosts, schemes, inline or eval. */
const SAFE_SCRIPT_SOURCE =
  /^('self'|'none'|'wasm-unsafe-eval'|'strict-dynamic'|'report-sample'|'nonce-[^']+'|'sha(256|384|512)-[^']+')$/i;

function checkCsp(where, policy) {
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  for (const [name, sources] of directives)
    if (sources.some((s) => s.toLowerCase() === "'unsafe-eval'"))
      fail(where, `CSP ${name} allows 'unsafe-eval'`);
  const scriptDirectives = ['script-src', 'script-src-elem', 'script-src-attr'].filter((d) =>
    directives.has(d),
  );
  if (!directives.has('script-src')) {
    if (!directives.has('default-src')) fail(where, 'CSP has neither script-src nor default-src');
    else scriptDirectives.push('default-src');
  }
  for (const name of scriptDirectives) {
    const bad = directives.get(name).filter((s) => !SAFE_SCRIPT_SOURCE.test(s));
    if (bad.length > 0) fail(where, `CSP ${name} allows script from ${bad.join(' ')}`);
  }
}

function checkPages() {
  for (const page of PAGES) {
    const html = read(page);
    const metas = [...html.matchAll(/<meta\b[^>]*>/gis)]
      .map((m) => m[0])
      .filter((tag) => /http-equiv\s*=\s*["']?content-security-policy/i.test(tag));
    if (metas.length === 0) {
      fail(page, 'no <meta http-equiv="Content-Security-Policy">');
      continue;
    }
    for (const tag of metas) {
      const content = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')/is.exec(tag);
      if (!content) fail(page, 'CSP meta without content');
      else checkCsp(page, content[1] ?? content[2] ?? '');
    }
    for (const script of html.matchAll(/<script\b[^>]*\ssrc\s*=\s*["']?([^"'\s>]+)/gi)) {
      const src = script[1] ?? '';
      if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(src)) fail(page, `<script src="${src}"> is not a local file`);
    }
  }
}

/** The header main adds to every response: `const CSP = ['…', …].join('; ')`. */
function checkCspHeader() {
  let found = false;
  walk(parse(CSP_HEADER_FILE), (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || node.name.text !== 'CSP') return;
    const init = node.initializer;
    if (
      init &&
      ts.isCallExpression(init) &&
      ts.isPropertyAccessExpression(init.expression) &&
      init.expression.name.text === 'join' &&
      ts.isArrayLiteralExpression(init.expression.expression) &&
      init.expression.expression.elements.every((e) => ts.isStringLiteralLike(e))
    ) {
      found = true;
      checkCsp(CSP_HEADER_FILE, init.expression.expression.elements.map((e) => e.text).join('; '));
    }
  });
  if (!found) fail(CSP_HEADER_FILE, "no `const CSP = ['…'].join('; ')` of string literals to check");
}

// ---------------------------------------------------------------------------------------------

try {
  checkSecureWindow();
  checkNoOtherWindows();
  checkPages();
  checkCspHeader();
  checkPermissionHandlers();
  await runElectronegativity();
} catch (error) {
  fail('security-check', error instanceof Error ? (error.stack ?? error.message) : String(error));
}

if (problems.length > 0) {
  console.error(`\nsecurity check FAILED (${problems.length}):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error(
    '\nFix the code, or, for a finding that is a false positive or a conscious trade-off, add it to ' +
      'security-accepted.json with a one-line justification.',
  );
  process.exit(1);
}
console.log('security check passed');
