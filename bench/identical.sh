#!/usr/bin/env bash
# Run every command of tanda on a corpus and keep all it prints and writes,
# so two builds can be compared byte for byte (a restructuring must not
# change any output):
#
#   bench/identical.sh OLD_BINARY /tmp/out-old [CORPUS]
#   bench/identical.sh target/release/tanda /tmp/out-new [CORPUS]
#   diff -r /tmp/out-old /tmp/out-new && echo identical
#
# CORPUS defaults to the shipped corpus/. Run from the repository root.
set -u
bin=$(realpath "$1"); out=$2; corpus=${3:-corpus}
rm -rf "$out"; mkdir -p "$out"
# Results folders are written under one fixed path, so that run.json and
# the messages name the same folder whichever binary ran.
work=/tmp/tanda-identical-work; rm -rf "$work"; mkdir -p "$work"
n=0
run() { # NAME ARGS...: stdout, stderr and exit code of one command
  local name=$1; shift
  "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.rc"
}
keep() { # copy a results folder into the comparison
  cp -r "$1" "$out/$2"
}
run analyze-table analyze "$corpus" -q
run analyze-json analyze "$corpus" -q --format json --cooccurrence
run analyze-md analyze "$corpus" -q --format markdown --by source_type
run analyze-latex analyze "$corpus" -q --format latex
run analyze-csv analyze "$corpus" -q --format csv --by year --bin 5 --measure per1k
run analyze-wide analyze "$corpus" -q --format csv-wide --unit sentence
run analyze-doc analyze "$corpus" -q --unit document --measure pct-words --cluster none
run analyze-out analyze "$corpus" --out "$work/r1" --by source_type --threads 1
keep "$work/r1" r1
run analyze-out2 analyze "$corpus" -q --out "$work/r2" --csv-only --excel --unit sentence --min-words 5 --threads 2
keep "$work/r2" r2
run report-stdout report "$work/r1" --by source_type
run report-out report "$work/r1" --out "$work/rep"
keep "$work/rep" rep
# code --jsonl: every .txt file of the corpus as one JSON line.
python3 -c '
import json, pathlib, sys
for f in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
    print(json.dumps({"id": str(f), "text": f.read_text(errors="replace")}))
' "$corpus" > "$work/docs.jsonl"
run code-jsonl code --jsonl "$work/docs.jsonl"
run code-jsonl-doc code --jsonl --unit document --no-hits "$work/docs.jsonl"
"$bin" code --jsonl -q "$work/docs.jsonl" > "$work/coded.jsonl"
run report-jsonl report "$work/coded.jsonl"
"$bin" corpus stats "$corpus" >"$out/stats.out" 2>"$out/stats.err"; echo $? >"$out/stats.rc"
run freq freq "$corpus"
run kwic kwic --category information "$corpus"
run explain explain "$corpus" "$(sed -n 2p "$work/r1/passages.csv" | cut -d, -f2)"
run sample sample "$work/r1" --seed 7 --output "$work/sheet.csv"
keep "$work/sheet.csv" sheet.csv
run diff-self diff "$work/r1" "$work/r1"
run agree agree validation/sample/sample-corpus-60-coded.csv validation/sample/sample-corpus-60-coded.csv
run export-qdpx export-qdpx "$work/r1" --output "$work/p.qdpx"
keep "$work/p.qdpx" p.qdpx
run codebook-show codebook show builtin
# The agreement, diff, kwic and sample variants.
sheet=validation/sample/sample-corpus-60-coded.csv
run agree-ref agree "$sheet" "$work/r1" --reference "$sheet" --format csv
run agree-json agree "$sheet" "$work/r1" --reference "$sheet" --format json --bootstrap 200 --seed 3 --level ordinal --blank not-coded
run agree-dis agree "$sheet" "$work/r1" --disagreements "$work/dis.csv"
keep "$work/dis.csv" dis.csv
run kwic-csv kwic --entry 'report*' --format csv --unit sentence "$corpus"
run diff-codebooks diff builtin builtin --corpus "$corpus" --format csv
run diff-json diff "$work/r1" "$work/r2" --format json
run sample-x sample "$work/r1" --stratify category --blind --output "$work/s.xlsx" -n 20
keep "$work/s.xlsx" s.xlsx
run suggest suggest builtin "$work/r1" --agree "$sheet"
run import-qdpx import-qdpx "$work/p.qdpx" --output "$work/imported.csv"
keep "$work/imported.csv" imported.csv
echo "wrote $(ls "$out" | wc -l) entries to $out"
