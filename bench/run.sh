#!/usr/bin/env bash
# Whole-process benchmark: tanda and its peers on the same generated corpus
# and LIWC dictionaries (../shared/bench generators), wall time, MB/s and
# peak RSS. Not run by CI. Usage:
#   bench/run.sh [SIZE=10MB] [WORKDIR=/tmp/tanda-bench]
# Needs: python3 with `liwc` and `pyahocorasick` (pip install liwc pyahocorasick),
# GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-10MB}"
work="${2:-/tmp/tanda-bench}"
shared="${SHARED:-../shared/bench}"
mkdir -p "$work"
corpus="$work/c-$size"
[ -d "$corpus" ] || python3 "$shared/gen_corpus.py" --size "$size" --out "$corpus" >/dev/null
[ -f "$work/dicts/medium.dic" ] || python3 "$shared/gen_dicts.py" --out "$work/dicts" >/dev/null
cargo build --release --quiet
T=target/release/tanda
bytes=$(cat "$corpus"/*.txt | wc -c)
mb=$(python3 -c "print($bytes/1e6)")
run() { # label, command...
  local label="$1"; shift
  local out
  out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1 )
  local secs rss
  secs=${out% *}; rss=${out#* }
  python3 -c "s=max($secs,0.001); print(f'| {\"$label\":<34} | {s:7.2f} | {$mb/s:8.1f} | {$rss/1024:7.0f} |')"
}
echo "corpus: $corpus ($mb MB, $(ls "$corpus" | wc -l) files), $(nproc) cores"
echo
echo "| job | seconds | MB/s | peak RSS MB |"
echo "|---|---:|---:|---:|"
run "cat" sh -c "cat $corpus/*.txt > /dev/null"
run "cat | wc -w" sh -c "cat $corpus/*.txt | wc -w"
for d in small medium large; do
  run "tanda analyze --out ($d)" "$T" analyze "$corpus" --codebook "$work/dicts/$d.dic" --out "$work/out-$d" --quiet --no-cache
  run "tanda analyze, table only ($d)" "$T" analyze "$corpus" --codebook "$work/dicts/$d.dic" --quiet --no-cache
  run "python liwc ($d)" python3 bench/peers.py liwc "$corpus" "$work/dicts/$d.dic"
  run "pyahocorasick ($d)" python3 bench/peers.py aho "$corpus" "$work/dicts/$d.dic"
done
