#!/usr/bin/env node
// `npm run lint`: enforces the import boundaries of docs/architecture.md#the-boundary-lint (who may import
// what) by parsing every module's imports with the TypeScript parser — static, dynamic, re-exports, require()
// and import types.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SOURCE_EXT = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-electron', 'release', 'native-electron', 'coverage', '.git']);
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
/** Packages that only work (or only belong) on the Node side; the renderer reaches them through the API. */
const NODE_ONLY_PACKAGES = new Set(['better-sqlite3', 'drizzle-orm', 'drizzle-kit', 'sirv', 'tsx', 'ws', 'open', 'electron-builder', 'pdf-to-printer', 'fontkit']);
const ELECTRON_IPC_MAIN = new Set(['ipcMain']);
const ELECTRON_PRELOAD_ONLY = new Set(['contextBridge', 'ipcRenderer']);
/** The adapter contract: the one core/platforms module a platform sandbox may name, and only its types. */
const PLATFORM_CONTRACT = 'electron/core/platforms/contract.ts';

function* walk(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(path.join(dir, e.name));
    } else if (SOURCE_EXT.test(e.name) && !e.name.endsWith('.d.ts')) {
      yield path.join(dir, e.name);
    }
  }
}

function scriptKind(file) {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * Every module a file refers to, with the names it binds from it and where. `typeOnly`: the reference
 * vanishes from the emitted JavaScript — `import type`/`export type`, an import whose every named binding
 * is `type`, or an `import('x').T` type — so it shares declarations, never code.
 */
function collectReferences(sourceFile) {
  const refs = [];
  const identifiers = [];
  const add = (specNode, names = [], typeOnly = false) => {
    if (specNode && ts.isStringLiteralLike(specNode)) refs.push({ spec: specNode.text, names, typeOnly, pos: specNode.getStart(sourceFile) });
  };
  const allTypes = (elements) => elements.length > 0 && elements.every((el) => el.isTypeOnly);
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      const names = [];
      const clause = node.importClause;
      if (clause?.name) names.push('default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
      const typeOnly = Boolean(clause?.isTypeOnly) || (clause !== undefined && !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && allTypes(bindings.elements));
      add(node.moduleSpecifier, names, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      add(node.moduleSpecifier, [], node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && allTypes(clause.elements)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, [], node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if ((isDynamicImport || isRequire) && node.arguments.length > 0) add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, [], true);
    } else if (ts.isIdentifier(node)) {
      identifiers.push({ text: node.text, pos: node.getStart(sourceFile) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { refs, identifiers };
}

const isElectron = (spec) => spec === 'electron' || spec.startsWith('electron/');
const isBuiltin = (spec) => spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]);
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isTestFile = (rel) => /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(rel);
const within = (rel, ...dirs) => dirs.some((d) => rel === d || rel.startsWith(`${d}/`));

/**
 * The rules, one per line of docs/architecture.md#the-boundary-lint (plus shared staying pure, since the renderer
 * imports it). `target` is the repo-relative path a relative import resolves to, else null.
 */
function checkReference(rel, spec, target, typeOnly) {
  const problems = [];
  if (within(rel, 'electron/core', 'electron/shared')) {
    if (isElectron(spec)) problems.push(`imports '${spec}': electron/core and electron/shared run under plain Node and never import electron`);
    // A test beside core code may use the testkit (harnesses, contract suites) and the sandbox (the
    // loopback platforms it syncs against); the core itself never: the demo is injected (DemoProvider).
    // A test of the station's hub client may start a real hub (server/) to talk to; the core never does.
    const allowed = isTestFile(rel) ? ['electron/core', 'electron/shared', 'electron/testkit', 'electron/sandbox', 'server'] : ['electron/core', 'electron/shared'];
    if (target !== null && within(rel, 'electron/core') && !within(target, ...allowed)) {
      problems.push(
        `imports ${target}: the core may only import ${isTestFile(rel) ? 'electron/core, electron/shared and (in tests) electron/testkit, electron/sandbox and server/' : 'electron/core and electron/shared (simulators are injected, never imported)'}`,
      );
    }
  }
  // Product code (everything under electron/ and src/ but tests and the testkit itself) ships to users:
  // no test runner and no test helpers in it.
  const product = within(rel, 'electron', 'src') && !isTestFile(rel) && !within(rel, 'electron/testkit');
  if (product && (spec === 'vitest' || spec.startsWith('vitest/'))) problems.push(`imports '${spec}': product code never imports the test runner (test helpers live in electron/testkit)`);
  if (product && target !== null && within(target, 'electron/testkit')) problems.push(`imports ${target}: product code never imports the testkit`);
  // The station's connection is not part of Core: createCore leaves it under a key only the testkit reads.
  if (target === 'electron/core/db/station-db-key.ts' && rel !== 'electron/core/app.ts' && !within(rel, 'electron/testkit')) {
    problems.push(`imports ${target}: only createCore (electron/core/app.ts) and the testkit (testDbOf) use the station's connection key; call the API`);
  }
  // A platform sandbox (and the OAuth sandbox that plays the platforms' token endpoints) is written from
  // the protocol notes and checks the adapter: sharing the adapter's code (signer, tables, time helpers)
  // would make it agree with the adapter where the platform does not. Only the adapter contract's types
  // may cross, and only as types.
  if (within(rel, 'electron/sandbox/platforms', 'electron/sandbox/oauth') && target !== null && within(target, 'electron/core/platforms') && !(typeOnly && target === PLATFORM_CONTRACT)) {
    problems.push(
      `imports ${target}: a platform sandbox never shares code with the adapters it checks (only \`import type\` from ${PLATFORM_CONTRACT}); write it from docs/platforms/<platform>.md in the sandbox`,
    );
  }
  // The hub is a service of its own: it shares the wire contract and the API's role table
  // (electron/shared) with the stations, never a station's code.
  if (within(rel, 'server') && target !== null && !within(target, 'server', 'electron/shared')) {
    problems.push(`imports ${target}: the hub (server/) may only import server/ and electron/shared`);
  }
  // scripts/ is tooling (build, bench, seeding): nothing that ships may depend on it.
  if (within(rel, 'electron', 'src') && target !== null && within(target, 'scripts')) problems.push(`imports ${target}: electron/ and src/ never import scripts/ (move the code into the product)`);
  if (within(rel, 'electron/shared')) {
    if (target !== null && !within(target, 'electron/shared')) problems.push(`imports ${target}: electron/shared is pure and may only import electron/shared`);
    if (isBuiltin(spec)) problems.push(`imports '${spec}': electron/shared is also loaded by the renderer, so no Node built-ins`);
  }
  if (within(rel, 'src')) {
    if (isElectron(spec)) problems.push(`imports '${spec}': the renderer knows only the API contract, never electron`);
    // Tests beside renderer code run under Node and may use its built-ins and Node-side packages (a ws
    // server standing in for the host), but still not the core.
    if (isBuiltin(spec) && !isTestFile(rel)) problems.push(`imports '${spec}': the renderer runs in a browser, no Node built-ins`);
    if (!isTestFile(rel) && !isBuiltin(spec) && !isElectron(spec) && target === null && NODE_ONLY_PACKAGES.has(packageName(spec))) {
      problems.push(`imports '${spec}': a Node-side package; the renderer reaches it through the API`);
    }
    if (target !== null && !within(target, 'src', 'electron/shared')) problems.push(`imports ${target}: src may only import src and electron/shared`);
  }
  return problems;
}

function checkIdentifiers(rel, importsElectron, identifiers) {
  const problems = [];
  if (!importsElectron) return problems;
  for (const id of identifiers) {
    if (ELECTRON_IPC_MAIN.has(id.text) && rel !== 'electron/main/ipc.ts') {
      problems.push({ pos: id.pos, message: `uses ${id.text}: only electron/main/ipc.ts talks to ipcMain` });
    }
    if (ELECTRON_PRELOAD_ONLY.has(id.text) && !within(rel, 'electron/preload')) {
      problems.push({ pos: id.pos, message: `uses ${id.text}: only electron/preload touches contextBridge/ipcRenderer` });
    }
  }
  return problems;
}

/** Check one repository tree; returns violations as { file, line, column, message }. */
export function checkBoundaries(root) {
  const violations = [];
  let files = 0;
  for (const top of ['electron', 'src', 'server']) {
    for (const abs of walk(path.join(root, top))) {
      files += 1;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      const text = fs.readFileSync(abs, 'utf8');
      const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, scriptKind(abs));
      const { refs, identifiers } = collectReferences(sf);
      const report = (pos, message) => {
        const { line, character } = sf.getLineAndCharacterOfPosition(pos);
        violations.push({ file: rel, line: line + 1, column: character + 1, message });
      };
      for (const ref of refs) {
        const target = ref.spec.startsWith('.') || ref.spec.startsWith('/') ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), ref.spec)) : null;
        for (const message of checkReference(rel, ref.spec, target, ref.typeOnly)) report(ref.pos, message);
      }
      const importsElectron = refs.some((r) => isElectron(r.spec));
      for (const p of checkIdentifiers(rel, importsElectron, identifiers)) report(p.pos, p.message);
    }
  }
  return { files, violations };
}

function main() {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { files, violations } = checkBoundaries(root);
  for (const v of violations) console.error(`${v.file}:${v.line}:${v.column}  ${v.message}`);
  if (violations.length > 0) {
    console.error(`\ncheck-boundaries: ${violations.length} violation(s) of the import boundaries (docs/architecture.md) in ${files} files`);
    process.exit(1);
  }
  console.log(`check-boundaries: ${files} files, no boundary violations`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
