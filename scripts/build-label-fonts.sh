#!/usr/bin/env bash
# Makes resources/fonts/NotoSansCJKsc-Label-{Regular,Bold}.otf: the Simplified Chinese faces of Noto Sans
# CJK (SIL OFL 1.1, see resources/fonts/OFL.txt), cut down to what a waybill, pick list or packing slip can
# hold. Run once by a developer when the font should change; the results are committed, so stations, CI
# and Windows/macOS builds never depend on a system font.
#
# Why a subset of our own rather than the system collection:
# - every station draws the same glyphs (Windows and macOS have no Noto CJK; their own CJK fonts differ);
# - a cold process reads 7 MB instead of a 19 MB collection and parses a CFF table of ~29k glyphs instead
#   of 65,535 — about 40 ms less per face on the first label (the issue-4 target is ≤ 300 ms);
# - no hinting (labels are rasterised by ShopFleet from outlines, or by the PDF viewer at ≥ 203 dpi) and no
#   OpenType layout features (labels are drawn glyph by glyph, see labels/font.ts glyphRun);
# - desubroutinized: fontkit interprets the outlines ~2× faster without subroutine calls, for ~10% size.
#
# Coverage: every character GBK can encode that Noto Sans CJK SC draws (font.test.ts walks all of GBK):
# Latin with pinyin tones (ǜ), Greek, Cyrillic, bopomofo, kana (商品名 often carry の), radicals,
# punctuation, symbols (℃ № ① ★ ㎏ ㎡ arrows, box drawing), CJK, small and full-width forms; and beyond
# GBK every Han character of Extension A, the compatibility block and Extensions B and beyond that the face
# has — so rare characters in names and village addresses (e.g. 䶮, 𠮷) print as drawn, not as boxes.
#
# Needs fonttools (Debian: apt-get install python3-fonttools) and fonts-noto-cjk (the source faces).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src_dir="${NOTO_CJK_DIR:-/usr/share/fonts/opentype/noto}"
out_dir="$root/resources/fonts"
python="${PYTHON:-/usr/bin/python3}"

unicodes="U+0020-007E,U+00A0-00FF,U+0100-024F,U+0250-02FF,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2000-206F,\
U+20A0-20CF,U+2100-218F,U+2190-21FF,U+2200-22FF,U+2300-23FF,U+2460-24FF,U+2500-25FF,U+2600-26FF,U+2E80-2FDF,\
U+3000-303F,U+3040-30FF,U+3100-312F,U+31A0-31FF,U+3200-32FF,U+3300-33FF,U+3400-4DBF,U+4E00-9FFF,U+F900-FAFF,\
U+FE10-FE1F,U+FE30-FE4F,U+FE50-FE6F,U+FF00-FFEF,U+20000-2FA1F"

subset() { # weight: Regular | Bold
  local weight="$1" ttc="$src_dir/NotoSansCJK-$1.ttc" index
  # The SC face's position in the collection, found by name rather than assumed.
  index="$("$python" - "$ttc" "NotoSansCJKsc-$weight" <<'PY'
import sys
from fontTools.ttLib import TTCollection
names = [f['name'].getDebugName(6) for f in TTCollection(sys.argv[1]).fonts]
print(names.index(sys.argv[2]))
PY
)"
  "$python" -m fontTools.subset "$ttc" --font-number="$index" --unicodes="$unicodes" \
    --layout-features='' --no-hinting --desubroutinize --name-IDs='*' --name-languages='*' \
    --output-file="$out_dir/NotoSansCJKsc-Label-$weight.otf"
  echo "resources/fonts/NotoSansCJKsc-Label-$weight.otf: $(stat -c %s "$out_dir/NotoSansCJKsc-Label-$weight.otf") bytes (face $index of $ttc)"
}

mkdir -p "$out_dir"
subset Regular
subset Bold
