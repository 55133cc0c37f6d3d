#!/usr/bin/env bash
# Fuzz tanda's parsers and extractors (not run by CI). Needs cargo-fuzz:
#   cargo install cargo-fuzz
# Usage: fuzz/run.sh [SECONDS_PER_TARGET]   (default 120)
# `-s none` builds without a sanitizer, which works on the stable toolchain;
# Rust's own bounds checks still turn memory errors into panics, which is
# what we look for. Crashing inputs land in fuzz/artifacts/TARGET/; copy each
# into tests/fixtures/fuzz/ as a regression fixture once fixed.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-120}"
mkdir -p corpus/codebook corpus/normalize
cp ../codebooks/tan.toml ../tests/fixtures/*.toml ../tests/fixtures/liwc/*.dic ../tests/fixtures/liwc/*.dicx corpus/codebook/ 2>/dev/null || true
find ../corpus -name "*.txt" -o -name "*.md" | head -50 | xargs -I{} cp {} corpus/normalize/
mkdir -p corpus/extract && cp ../tests/fixtures/formats/* ../corpus/*/*.pdf ../corpus/*/*.docx ../corpus/*/*.html corpus/extract/ 2>/dev/null || true
mkdir -p corpus/rtf corpus/package
cp ../tests/fixtures/readers/*.rtf corpus/rtf/ 2>/dev/null || true
cp ../tests/fixtures/readers/*.odt ../tests/fixtures/readers/*.epub corpus/package/ 2>/dev/null || true
mkdir -p corpus/jsonl corpus/coder_sheet corpus/qdpx
printf '%s\n' '{"id":"d1","text":"The NGO published a report with data.","year":2020}' \
  '{"id":2,"text":"ศาลปกครอง รายงาน café\n\nNGOs lobbied."}' > corpus/jsonl/seed.jsonl
cp ../tests/fixtures/sheets/*.csv ../tests/fixtures/sheets/*.xlsx corpus/coder_sheet/ 2>/dev/null || true
# A .qdpx seed: export one from the sample corpus (skipped if tanda is not built).
if command -v tanda >/dev/null && [ ! -f corpus/qdpx/seed.qdpx ]; then
  tmp=$(mktemp -d) && tanda analyze --quiet ../corpus --out "$tmp/res" >/dev/null \
    && tanda export-qdpx "$tmp/res" -o corpus/qdpx/seed.qdpx >/dev/null || true
  rm -rf "$tmp"
fi
for t in cat ykd lc3 yaml; do
  mkdir -p corpus/dict_$t
  cp ../tests/fixtures/dictionaries/* corpus/dict_$t/ 2>/dev/null || true
done
for target in codebook normalize extract rtf package jsonl coder_sheet qdpx dict_cat dict_ykd dict_lc3 dict_yaml; do
  echo "== fuzzing $target for ${secs}s"
  # A .qdpx seed is a zip of ~100 KB: cut to 8 KB it loses its directory.
  len=8192; [ "$target" = qdpx ] && len=131072
  cargo fuzz run -s none "$target" -- -max_total_time="$secs" -max_len="$len"
done
