#!/usr/bin/env node
// Keeps the code explaining itself from inside the repository: no comment (or test name, or message)
// in electron/, src/, scripts/ or tests/ may send the reader to notes that live outside it, to a bare
// section number of such notes, or to a tracker number; and every docs/ page and #section it names
// must exist. docs/architecture.md says why.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_EXT = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-electron', 'release', 'native-electron', 'coverage', 'test-results', 'playwright-report', '.git']);
const ROOTS = ['electron', 'src', 'scripts', 'tests'];

// Written in pieces so this file does not match its own rules.
const md = (name) => new RegExp(`(?<![\\w/.-])${name}\\.md\\b`);
export const RULES = [
  { why: 'names a note outside the repository', re: new RegExp(['\\.\\./shared/[\\w-]+\\.md', '/work/' + 'shared'].join('|')) },
  { why: 'names an outside protocol note', re: md('platforms') },
  { why: 'names an outside protocol note', re: md('printing') },
  { why: 'names an outside protocol note', re: md('platforms-stock-aftersale') },
  { why: 'names an outside protocol note', re: md('platform-messages') },
  { why: 'names the outside house plan', re: md('DESIGN') },
  { why: 'names the outside sync plan', re: md('SYNC') },
  { why: 'names an outside review', re: md('architecture-review') },
  { why: 'names a section of an outside note', re: new RegExp('(?<!RFC \\d{3,5} )\\u00a7\\s*(?:C\\.)?\\d') },
  { why: 'names a tracker number', re: new RegExp('\\b' + 'issues? #?\\d+', 'i') },
];

/** GitHub's heading anchor: lower case, punctuation dropped (letters of any script kept), spaces to hyphens. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorCache = new Map();
function anchorsOf(file) {
  if (!anchorCache.has(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const anchors = new Set();
    let inFence = false;
    for (const line of text.split('\n')) {
      if (/^\s*```/.test(line)) inFence = !inFence;
      const m = !inFence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (m) anchors.add(slug(m[1]));
    }
    anchorCache.set(file, anchors);
  }
  return anchorCache.get(file);
}

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
    } else if (SOURCE_EXT.test(e.name)) {
      yield path.join(dir, e.name);
    }
  }
}

const DOC_REF = /\bdocs\/([\w./-]+\.md)(?:#([\p{L}\p{N}_-]+))?/gu;

/** Every violation in a repository tree, as { file, line, message }. */
export function checkDocRefs(root) {
  const violations = [];
  const self = path.resolve(fileURLToPath(import.meta.url));
  for (const top of ROOTS) {
    for (const abs of walk(path.join(root, top))) {
      if (path.resolve(abs) === self) continue;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      const lines = fs.readFileSync(abs, 'utf8').split('\n');
      lines.forEach((text, i) => {
        const report = (message) => violations.push({ file: rel, line: i + 1, message });
        for (const rule of RULES) {
          const m = rule.re.exec(text);
          if (m) report(`${rule.why}: "${m[0]}" — write the fact into docs/ and point there`);
        }
        for (const m of text.matchAll(DOC_REF)) {
          const doc = path.join(root, 'docs', m[1]);
          if (!fs.existsSync(doc)) report(`names docs/${m[1]}, which does not exist`);
          else if (m[2] && !anchorsOf(doc).has(m[2])) report(`names docs/${m[1]}#${m[2]}, a section that page does not have`);
        }
      });
    }
  }
  return violations;
}

function main() {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const violations = checkDocRefs(root);
  for (const v of violations) console.error(`${v.file}:${v.line}  ${v.message}`);
  if (violations.length > 0) {
    console.error(`\ncheck-doc-refs: ${violations.length} reference(s) that point outside the repository or nowhere`);
    process.exit(1);
  }
  console.log('check-doc-refs: every reference points inside the repository');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
