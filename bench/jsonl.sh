#!/usr/bin/env bash
# `tanda code --jsonl` on one long document: time and peak memory for a
# 4 MB and a 16 MB line (one paragraph each, so one passage; many hits).
# Coding must be linear in the line: 16 MB should take about 4x the 4 MB
# time, not 16x. Not run by CI.
#
#   [TANDA=bin] bench/jsonl.sh [BEFORE_BINARY]   (TIMEOUT=s per run, default 300)
#
# With BEFORE_BINARY (a tanda built from an older commit) its numbers are
# printed too, for comparison. Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
before="${1:-}"
limit="${TIMEOUT:-300}"
work="${WORK:-/tmp/tanda-bench-jsonl}"
mkdir -p "$work"
for mb in 4 16; do
  f="$work/line-${mb}mb.jsonl"
  [ -f "$f" ] || python3 - "$f" "$mb" <<'PY'
import json, sys
path, mb = sys.argv[1], int(sys.argv[2])
# Words the built-in codebook counts, Thai and accented text among them:
# multi-byte characters make byte and character offsets differ.
unit = "The NGO published a report with data from a survey; NGOs lobbied the ministry. ศาลปกครอง รายงาน ข้อมูล café naïve. "
n = (mb * 1000 * 1000) // len(unit.encode())
text = unit * n
with open(path, "w", encoding="utf-8") as out:
    out.write(json.dumps({"id": f"long{mb}", "text": text}, ensure_ascii=False) + "\n")
PY
done
# TANDA=path: the binary to measure (else this checkout, built here).
after="${TANDA:-}"
if [ -z "$after" ]; then
  cargo build --release --quiet
  after="${CARGO_TARGET_DIR:-target}/release/tanda"
fi
run() {
  local label="$1" bin="$2" f="$3"; shift 3
  local t
  if t=$( { timeout "$limit" /usr/bin/time -f "%e s %M KB" "$bin" code --jsonl --quiet "$@" "$f" >/dev/null; } 2>&1 ); then
    echo "$label $(basename "$f") $* : $t"
  else
    echo "$label $(basename "$f") $* : did not finish within ${limit} s (or failed: $t)"
  fi
}
for f in "$work"/line-4mb.jsonl "$work"/line-16mb.jsonl; do
  echo "$(basename "$f"): $(wc -c < "$f") bytes"
  for opt in "" "--no-hits"; do
    [ -n "$before" ] && run before "$before" "$f" $opt
    run after "$after" "$f" $opt
  done
done
