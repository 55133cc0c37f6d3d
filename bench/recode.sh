#!/usr/bin/env bash
# Re-coding benchmark: a corpus of PDFs coded once with an empty extraction
# cache, then again with an edited codebook (the cache now warm), and once
# more with the cache disabled. Not run by CI.
#
#   bench/recode.sh [N_PDFS=200] [WORKDIR=/tmp/tanda-bench]
#
# Needs python3 with reportlab (pip install reportlab) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
work="${2:-/tmp/tanda-bench}"
shared="${SHARED:-../shared/bench}"
[ -d "$work/c-10MB" ] || python3 "$shared/gen_corpus.py" --size 10MB --out "$work/c-10MB" >/dev/null
[ -f "$work/dicts/medium.dic" ] || python3 "$shared/gen_dicts.py" --out "$work/dicts" >/dev/null
pdfs="$work/pdf-$n"
[ -d "$pdfs" ] || python3 bench/make_pdf_corpus.py "$work/c-10MB" "$pdfs" "$n" >/dev/null
# The edit: every tenth entry of the medium dictionary deleted.
python3 - "$work/dicts/medium.dic" "$work/dicts/medium-edited.dic" <<'PY'
import sys
lines, out, seps = open(sys.argv[1], encoding="utf-8").read().split("\n"), [], 0
for i, l in enumerate(lines):
    if l.strip() == "%":
        seps += 1
    elif seps >= 2 and i % 10 == 0:
        continue
    out.append(l)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out))
PY
cargo build --release --quiet
T=target/release/tanda
cache=$(mktemp -d)
trap 'rm -rf "$cache" "$work/recode-out"' EXIT
t() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
first=$(TANDA_CACHE_DIR="$cache" t "$T" analyze "$pdfs" --codebook "$work/dicts/medium.dic" --quiet --out "$work/recode-out")
again=$(TANDA_CACHE_DIR="$cache" t "$T" analyze "$pdfs" --codebook "$work/dicts/medium-edited.dic" --quiet --out "$work/recode-out")
nocache=$(t "$T" analyze "$pdfs" --codebook "$work/dicts/medium-edited.dic" --quiet --no-cache --out "$work/recode-out")
echo "| run | seconds |"
echo "|---|---:|"
echo "| first run, $n PDFs, empty cache | $first |"
echo "| edited codebook, cache warm | $again |"
echo "| edited codebook, --no-cache | $nocache |"
python3 -c "print(f'\nre-coding speed-up from the cache: {$first/$again:.1f}x (target >= 2x)')"
