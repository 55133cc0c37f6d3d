#!/usr/bin/env bash
# Builds side by side: the same jobs run alternately by each binary, so
# that a slow spell of a shared machine falls on all of them. Prints wall
# seconds and peak RSS per run. Not run by CI.
#
#   bench/ab.sh RUNS WORKDIR BINARY...
#   bench/ab.sh 3 /tmp/tanda-bench /tmp/tanda-old target/release/tanda
#
# WORKDIR is bench/run.sh's: it needs c-100MB and dicts/ there.
set -euo pipefail
runs=$1; work=$2; shift 2
corpus="$work/c-100MB"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for job in "table medium" "table large" "csv medium" "all large"; do
  read -r kind dict <<<"$job"
  extra=()
  [ "$kind" = csv ] && extra=(--out "$out/r" --csv-only)
  [ "$kind" = all ] && extra=(--out "$out/r")
  for _ in $(seq "$runs"); do
    for bin in "$@"; do
      rm -rf "$out/r"
      /usr/bin/time -f "$kind $dict $bin %e s %M KB" "$bin" analyze "$corpus" \
        --codebook "$work/dicts/$dict.dic" --quiet --no-cache "${extra[@]}" 2>&1 >/dev/null | tail -1
    done
  done
done
