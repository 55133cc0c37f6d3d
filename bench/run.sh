#!/usr/bin/env bash
# Whole-process benchmark: tanda and its peers on the same generated corpus
# and LIWC dictionaries (../shared/bench generators): wall time, MB/s, peak
# RSS, and the ratios the performance issue sets. Not run by CI.
#
#   bench/run.sh [SIZES="10MB 100MB"] [WORKDIR=/tmp/tanda-bench]
#   bench/run.sh "10MB 100MB 1GB"
#
# Needs python3 with `liwc` and `pyahocorasick` (pip install liwc
# pyahocorasick) and GNU time (/usr/bin/time). Run it on an idle machine.
#
# The tanda jobs:
#   table     analyze, frequency table only
#   csv       analyze --out --csv-only: reading, normalising, segmenting into
#             paragraphs, coding, writing passages.csv and hits.csv (the job
#             the targets are set for)
#   all       analyze --out: also tables.xlsx and report.html
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-10MB 100MB}"
work="${2:-/tmp/tanda-bench}"
shared="${SHARED:-../shared/bench}"
mkdir -p "$work"
[ -f "$work/dicts/medium.dic" ] || python3 "$shared/gen_dicts.py" --out "$work/dicts" >/dev/null
cargo build --release --quiet
T=target/release/tanda

# secs_of CMD... : prints "seconds peak_rss_kb" of the command.
secs_of() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for size in $sizes; do
  corpus="$work/c-$size"
  [ -d "$corpus" ] || python3 "$shared/gen_corpus.py" --size "$size" --out "$corpus" >/dev/null
  # find | xargs: a 1 GB corpus has more files than one command line takes.
  catall="find $corpus -name '*.txt' -print0 | sort -z | xargs -0 cat"
  bytes=$(sh -c "$catall" | wc -c)
  mb=$(python3 -c "print($bytes/1e6)")
  out="$work/out-$size"
  echo
  echo "## $size corpus: $mb MB, $(ls "$corpus" | wc -l) files"
  echo
  echo "| job | dictionary | seconds | MB/s | peak RSS MB |"
  echo "|---|---|---:|---:|---:|"
  row() { # label dict secs rss
    python3 - "$1" "$2" "$3" "$4" "$mb" <<'PY'
import sys
label, d, secs, rss, mb = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
s = max(secs, 0.001)
print(f"| {label} | {d} | {s:.2f} | {mb / s:.1f} | {rss / 1024:.0f} |")
PY
  }
  read -r s r < <(secs_of sh -c "$catall > /dev/null"); row "cat" "-" "$s" "$r"
  read -r wc_s r < <(secs_of sh -c "$catall | wc -w"); row "cat \| wc -w" "-" "$wc_s" "$r"
  declare -A csv_s liwc_s aho_s
  for d in small medium large; do
    dict="$work/dicts/$d.dic"
    read -r s r < <(secs_of "$T" analyze "$corpus" --codebook "$dict" --quiet --no-cache); row "tanda table" "$d" "$s" "$r"
    rm -rf "$out"
    read -r s r < <(secs_of "$T" analyze "$corpus" --codebook "$dict" --quiet --no-cache --out "$out" --csv-only); row "tanda csv" "$d" "$s" "$r"; csv_s[$d]=$s
    rm -rf "$out"
    read -r s r < <(secs_of "$T" analyze "$corpus" --codebook "$dict" --quiet --no-cache --out "$out"); row "tanda all" "$d" "$s" "$r"
    rm -rf "$out"
    read -r s r < <(secs_of python3 bench/peers.py liwc "$corpus" "$dict"); row "python liwc" "$d" "$s" "$r"; liwc_s[$d]=$s
    read -r s r < <(secs_of python3 bench/peers.py aho "$corpus" "$dict"); row "pyahocorasick" "$d" "$s" "$r"; aho_s[$d]=$s
  done
  echo
  echo "Ratios for the csv job (target: >= 10x liwc, >= 5x pyahocorasick, <= 2x the wall time of cat | wc -w):"
  echo
  echo "| dictionary | x liwc | x pyahocorasick | time / (cat \| wc -w) |"
  echo "|---|---:|---:|---:|"
  for d in small medium large; do
    python3 -c "c=max(${csv_s[$d]},0.001); print(f'| $d | {${liwc_s[$d]}/c:.2f} | {${aho_s[$d]}/c:.2f} | {c/max($wc_s,0.001):.1f} |')"
  done
done
