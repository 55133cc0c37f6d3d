#!/usr/bin/env bash
# Whole-process benchmark: tanda and its peers on the same generated corpus
# and LIWC dictionaries (../shared/bench generators), side by side in one
# run: wall time, MB/s, peak RSS, and the table of the speed issue (21).
# Not run by CI.
#
#   bench/run.sh [SIZES="10MB 100MB"] [WORKDIR=/tmp/tanda-bench]
#   bench/run.sh "10MB 100MB 1GB"
#
# Needs python3 with `liwc` and `pyahocorasick` (pip install liwc
# pyahocorasick) and GNU time (/usr/bin/time). Run it on an idle machine.
#
# The tanda jobs, each with a fresh, empty extraction cache unless said:
#   table     analyze CORPUS --codebook DICT: read, normalise, segment,
#             code, print the frequency table (the main job)
#   recode    the table job again after one entry of DICT was edited, with
#             the cache the table job left (re-coding, the inner loop of
#             building a codebook)
#   csv       analyze --out DIR --csv-only: also passages.csv and hits.csv
#             (every passage and every match)
#   all       analyze --out DIR: also tables.xlsx and report.html
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-10MB 100MB}"
work="${2:-/tmp/tanda-bench}"
shared="${SHARED:-../shared/bench}"
mkdir -p "$work"
python3 -c "import liwc, ahocorasick" || { echo "needs: pip install liwc pyahocorasick" >&2; exit 1; }
[ -f "$work/dicts/medium.dic" ] || python3 "$shared/gen_dicts.py" --out "$work/dicts" >/dev/null
# The one-entry edit: the first entry of each dictionary's word list gets
# another word (a rare one), the rest is unchanged.
for d in small medium large; do
  python3 - "$work/dicts/$d.dic" "$work/dicts/$d-edit1.dic" <<'PY'
import sys
lines, seps, done = open(sys.argv[1], encoding="utf-8").read().split("\n"), 0, False
for i, l in enumerate(lines):
    if l.strip() == "%":
        seps += 1
    elif seps >= 2 and l.strip() and not done:
        word, rest = l.split("\t", 1)
        lines[i] = "tandaeditedword\t" + rest
        done = True
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
PY
done
cargo build --release --quiet
T=target/release/tanda
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo "+changes")

# secs_of CMD... : prints "seconds peak_rss_kb" of the command.
secs_of() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
fresh_cache() { rm -rf "$cache"; mkdir -p "$cache"; }
max() { echo $(( $1 > $2 ? $1 : $2 )); }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), commit $commit, $(date -u +%Y-%m-%d)"
for size in $sizes; do
  corpus="$work/c-$size"
  [ -d "$corpus" ] || python3 "$shared/gen_corpus.py" --size "$size" --out "$corpus" >/dev/null
  # find | xargs: a 1 GB corpus has more files than one command line takes.
  catall="find -L $corpus -name '*.txt' -print0 | sort -z | xargs -0 cat"
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
  declare -A table_s recode_s csv_s all_s liwc_s aho_s rss
  for d in small medium large; do
    dict="$work/dicts/$d.dic"
    fresh_cache
    read -r s r < <(TANDA_CACHE_DIR="$cache" secs_of "$T" analyze "$corpus" --codebook "$dict" --quiet); row "tanda table" "$d" "$s" "$r"
    table_s[$d]=$s; rss[$d]=$r
    read -r s r < <(TANDA_CACHE_DIR="$cache" secs_of "$T" analyze "$corpus" --codebook "$work/dicts/$d-edit1.dic" --quiet); row "tanda recode (one entry edited, cache warm)" "$d" "$s" "$r"
    recode_s[$d]=$s; rss[$d]=$(max "$r" "${rss[$d]}")
    rm -rf "$out"; fresh_cache
    read -r s r < <(TANDA_CACHE_DIR="$cache" secs_of "$T" analyze "$corpus" --codebook "$dict" --quiet --out "$out" --csv-only); row "tanda csv" "$d" "$s" "$r"
    csv_s[$d]=$s; rss[$d]=$(max "$r" "${rss[$d]}")
    rm -rf "$out"; fresh_cache
    read -r s r < <(TANDA_CACHE_DIR="$cache" secs_of "$T" analyze "$corpus" --codebook "$dict" --quiet --out "$out"); row "tanda all" "$d" "$s" "$r"
    all_s[$d]=$s; rss[$d]=$(max "$r" "${rss[$d]}")
    rm -rf "$out"
    read -r s r < <(secs_of python3 bench/peers.py liwc "$corpus" "$dict"); row "python liwc" "$d" "$s" "$r"; liwc_s[$d]=$s
    read -r s r < <(secs_of python3 bench/peers.py aho "$corpus" "$dict"); row "pyahocorasick" "$d" "$s" "$r"; aho_s[$d]=$s
  done
  echo
  echo "The issue's table at $size (600 entries: medium.dic; 6,000: large.dic; small.dic, 61 entries, for reference):"
  echo
  python3 - "$mb" "$wc_s" \
    "${table_s[small]}" "${table_s[medium]}" "${table_s[large]}" \
    "${recode_s[small]}" "${recode_s[medium]}" "${recode_s[large]}" \
    "${csv_s[small]}" "${csv_s[medium]}" "${csv_s[large]}" \
    "${all_s[small]}" "${all_s[medium]}" "${all_s[large]}" \
    "${liwc_s[small]}" "${liwc_s[medium]}" "${liwc_s[large]}" \
    "${aho_s[small]}" "${aho_s[medium]}" "${aho_s[large]}" \
    "${rss[small]}" "${rss[medium]}" "${rss[large]}" <<'PY'
import sys
a = [float(x) for x in sys.argv[1:]]
mb, wc = a[0], max(a[1], 0.001)
table, recode, csv, all_, liwc, aho, rss = (a[2 + 3 * i: 5 + 3 * i] for i in range(7))
s = lambda x: max(x, 0.001)
print("| job | 61 entries | 600 entries | 6,000 entries | target (600 / 6,000) |")
print("|---|---:|---:|---:|---|")
print("| table, MB/s | " + " | ".join(f"{mb / s(t):.1f}" for t in table) + " | >= 200 / >= 120 |")
print("| table, time / (cat \\| wc -w) | " + " | ".join(f"{s(t) / wc:.1f}" for t in table) + " | <= 2 (600) |")
print("| table, x python liwc | " + " | ".join(f"{l / s(t):.1f}" for t, l in zip(table, liwc)) + " | >= 10 |")
print("| table, x pyahocorasick | " + " | ".join(f"{h / s(t):.1f}" for t, h in zip(table, aho)) + " | |")
print("| recode after a one-entry edit, s | " + " | ".join(f"{r:.2f}" for r in recode) + " | <= 3 / <= 6 at 1 GB |")
print("| csv (--out --csv-only), MB/s | " + " | ".join(f"{mb / s(c):.1f}" for c in csv) + " | >= 100 / >= 60 |")
print("| all (--out) / csv, time | " + " | ".join(f"{s(x) / s(c):.2f}" for x, c in zip(all_, csv)) + " | <= 1.3 |")
print("| peak RSS of the four jobs, MB | " + " | ".join(f"{r / 1024:.0f}" for r in rss) + " | <= 256 (1 GB) |")
PY
done
