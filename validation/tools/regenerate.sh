#!/usr/bin/env bash
# Regenerate the reliability figures (on the current held-out set, named in validation/HELDOUT)
# and the coding manual from the built-in codebook. tests/manual.rs checks both are current.
set -euo pipefail
cd "$(dirname "$0")/../.."
H=$(cat validation/HELDOUT)
# A set with halves reports its `report` half only (reference-report.csv); the others all of it.
REF="$H/reference.csv"
[ -f "$H/reference-report.csv" ] && REF="$H/reference-report.csv"
cargo build --release --quiet
T=target/release/tanda
res=$(mktemp -d)
$T analyze "$H/corpus" --unit document --quiet --out "$res/results" > /dev/null
$T agree "$REF" "$res/results" --reference "$REF" \
  --bootstrap 1000 --seed 1 --format json > validation/reliability-report.json
$T codebook doc --reliability validation/reliability-report.json -o docs/codebook-tan.md
rm -rf "$res"
echo "regenerated validation/reliability-report.json and docs/codebook-tan.md"
