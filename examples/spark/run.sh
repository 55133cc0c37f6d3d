#!/usr/bin/env bash
# Spark example, run by hand (not by CI): code a JSON-lines corpus with
# PySpark in local mode through RDD.pipe over `tanda code --jsonl`, merge the
# shards with `tanda report`, and check that the tables equal those of a
# single-machine run over the same file.
#
#   examples/spark/run.sh [INPUT.jsonl]
#
# Without an input, the sample corpus's .txt files are turned into JSON lines.
# Needs Java 8+ and `pip install pyspark` (tested with PySpark 3.5.3, OpenJDK 17).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
T="$PWD/target/release/tanda"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

input="${1:-}"
if [ -z "$input" ]; then
  input="$work/sample.jsonl"
  python3 - "$input" <<'PY'
import json, pathlib, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for f in sorted(pathlib.Path("corpus").rglob("*.txt")):
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        rel = f.relative_to("corpus")
        out.write(json.dumps({"id": str(rel), "text": text, "source_type": rel.parts[0]}) + "\n")
PY
fi

python3 examples/spark/code_with_spark.py "$T" "$input" "$work/spark-out" 4
# The map step's shards, merged.
by=()
[ -z "${1:-}" ] && by=(--by source_type)
"$T" report "$work"/spark-out/part-* --format csv "${by[@]}" > "$work/spark.csv"
# A single-machine run over the same file.
"$T" code --jsonl --quiet --no-hits "$input" > "$work/single.jsonl"
"$T" report "$work/single.jsonl" --format csv "${by[@]}" > "$work/single.csv"
if cmp -s "$work/spark.csv" "$work/single.csv"; then
  echo "spark example: OK — the tables from $(ls "$work"/spark-out/part-* | wc -l) Spark shards equal the single-machine run ($(wc -l < "$work/single.jsonl") coded passages)"
else
  echo "spark example: FAILED — the merged tables differ:" >&2
  diff "$work/spark.csv" "$work/single.csv" | head -20 >&2
  exit 1
fi
