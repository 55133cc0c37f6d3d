#!/usr/bin/env bash
# Code a large JSON-lines corpus on a Slurm cluster, one shard per array task,
# then merge. Documented, not run by CI (there is no cluster here).
#
#   split -n l/32 -d -a 3 corpus.jsonl shards/part-     # 32 shards, whole lines
#   sbatch --array=0-31 examples/slurm/code-array.sh
#   # when all tasks are done, on any node:
#   cat out/part-*.jsonl > coded.jsonl
#
# Each task streams its shard through `tanda code --jsonl` in constant memory
# and writes coded passages as JSON lines. The codebook's SHA-256 is the same
# for every task because every task reads the same file.
#SBATCH --job-name=tanda-code
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=logs/tanda-%A_%a.out
set -euo pipefail
shard=$(printf "shards/part-%03d" "$SLURM_ARRAY_TASK_ID")
mkdir -p out
RAYON_NUM_THREADS="$SLURM_CPUS_PER_TASK" \
  tanda code --jsonl "$shard" --codebook codebook.toml --quiet \
  > "out/$(basename "$shard").jsonl.tmp"
mv "out/$(basename "$shard").jsonl.tmp" "out/$(basename "$shard").jsonl"
