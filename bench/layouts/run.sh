#!/usr/bin/env bash
# Layout benchmark (issue 17): rebuild everything and write docs/layouts.md.
#
#   bench/layouts/run.sh            typeset + extract + score (needs pdflatex,
#                                   soffice, chromium, pdftotext; not in CI)
#   bench/layouts/run.sh score      score the committed .txt files only
#
# Install once (Debian): apt-get install texlive-latex-base
#   texlive-latex-recommended texlive-latex-extra libreoffice-writer-nogui
#   chromium poppler-utils fonts-liberation hyphen-en-us
# Sources: bench/layouts/src/*.md (copied from the writer's drafts).
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${LAYOUTS_WORK:-/tmp/tanda-layouts}"
if [ "${1:-all}" != score ]; then
    python3 bench/layouts/make.py --work "$work"
    python3 bench/layouts/issue17/make.py
    LAYOUTS_PDF="$work" cargo test --quiet --test layouts -- --ignored dump_tanda_pdf
fi
tmp="$(mktemp)"
LAYOUTS_TABLE="$tmp" cargo test --quiet --test layouts layouts_score_table -- --nocapture >/dev/null || true
python3 - "$tmp" <<'PY'
import re, sys
table = open(sys.argv[1]).read()
detail = open(sys.argv[1] + ".detail").read()
doc = open("docs/layouts.md").read()
start, end = "<!-- table -->", "<!-- /table -->"
a, b = doc.index(start) + len(start), doc.index(end)
doc = doc[:a] + "\n" + table + doc[b:]
s2, e2 = "<!-- detail -->", "<!-- /detail -->"
a, b = doc.index(s2) + len(s2), doc.index(e2)
doc = doc[:a] + "\n```\n" + detail + "```\n" + doc[b:]
open("docs/layouts.md", "w").write(doc)
PY
rm -f "$tmp" "$tmp.detail"
echo "wrote docs/layouts.md"
