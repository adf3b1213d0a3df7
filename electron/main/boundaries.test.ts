// Import boundaries of the Electron shell (docs/architecture.md#the-boundary-lint), read from the TypeScript AST:
// only ipc.ts touches ipcMain, only the preload touches contextBridge/ipcRenderer, the core host
// never imports electron, main never loads the core at runtime, the preload stays self-contained.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const electronDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface ImportFact {
  file: string;
  spec: string;
  typeOnly: boolean;
  names: string[];
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f));
}

function importsOf(file: string): ImportFact[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const facts: ImportFact[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : [];
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(clause?.isTypeOnly) || (named.length > 0 && named.every((e) => e.isTypeOnly) && !clause?.name) : node.isTypeOnly;
      facts.push({ file, spec: node.moduleSpecifier.text, typeOnly, names: named.filter((e) => !e.isTypeOnly).map((e) => e.name.text) });
    } else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      // require('x') and import('x') count as runtime imports too.
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        facts.push({ file, spec: node.arguments[0].text, typeOnly: false, names: ['*'] });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

const rel = (file: string) => path.relative(electronDir, file).split(path.sep).join('/');
const resolvedRel = (fact: ImportFact) => rel(path.resolve(path.dirname(fact.file), fact.spec));
const shell = ['main', 'preload', 'hosts/utility'].flatMap((d) => sourceFiles(path.join(electronDir, d)).flatMap(importsOf));

describe('electron shell boundaries', () => {
  it('finds the shell sources', () => {
    expect(shell.some((f) => rel(f.file) === 'main/ipc.ts')).toBe(true);
    expect(shell.some((f) => rel(f.file) === 'preload/index.ts')).toBe(true);
  });

  it('lets only main/ipc.ts use ipcMain', () => {
    const users = shell.filter((f) => f.spec === 'electron' && f.names.includes('ipcMain')).map((f) => rel(f.file));
    expect(users).toEqual(['main/ipc.ts']);
  });

  it('lets only the preload use contextBridge and ipcRenderer', () => {
    const users = shell.filter((f) => f.spec === 'electron' && f.names.some((n) => n === 'contextBridge' || n === 'ipcRenderer')).map((f) => rel(f.file));
    expect([...new Set(users)]).toEqual(['preload/index.ts']);
  });

  it('keeps electron out of the core host (it runs the Electron-free core)', () => {
    expect(shell.filter((f) => rel(f.file).startsWith('hosts/utility/') && f.spec === 'electron' && !f.typeOnly)).toEqual([]);
  });

  it('never loads the core or the contract (zod) into the main process at runtime; the core lives in the host', () => {
    const offenders = shell.filter((f) => rel(f.file).startsWith('main/') && !f.typeOnly && f.spec.startsWith('.') && /^(core|shared)\//.test(resolvedRel(f)));
    expect(offenders.map((f) => `${rel(f.file)} → ${f.spec}`)).toEqual([]);
  });

  it('keeps the sandboxed preload self-contained: electron and its own folder only', () => {
    const offenders = shell.filter(
      (f) => rel(f.file).startsWith('preload/') && !f.typeOnly && f.spec !== 'electron' && !(f.spec.startsWith('.') && resolvedRel(f).startsWith('preload/')),
    );
    expect(offenders.map((f) => `${rel(f.file)} → ${f.spec}`)).toEqual([]);
  });
});
