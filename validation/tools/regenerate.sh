#!/usr/bin/env bash
# Regenerate the reliability figures (on the current held-out set, named in validation/HELDOUT)
# and the coding manual from the built-in codebook. tests/manual.rs checks both are current.
set -euo pipefail
cd "$(dirname "$0")/../.."
H=$(cat validation/HELDOUT)
cargo build --release --quiet
T=target/release/tanda
res=$(mktemp -d)
$T analyze "$H/corpus" --unit document --quiet --out "$res/results" > /dev/null
$T agree "$H/reference.csv" "$res/results" --reference reference \
  --bootstrap 1000 --seed 1 --format json > validation/reliability-report.json
$T codebook doc --reliability validation/reliability-report.json -o docs/codebook-tan.md
rm -rf "$res"
echo "regenerated validation/reliability-report.json and docs/codebook-tan.md"
