#!/usr/bin/env python3
"""Code a JSON-lines corpus with tanda inside Spark (PySpark, local mode).

    code_with_spark.py TANDA_BINARY INPUT.jsonl OUT_DIR [PARTITIONS=4]

Each partition of the input lines is piped through `tanda code --jsonl`
(`RDD.pipe`): tanda is the map step, Spark only moves lines. The coded
passages land in OUT_DIR/part-00000, part-00001, ... (JSON lines), which
`tanda report OUT_DIR/part-*` merges into the corpus's tables. On a cluster,
replace "local[2]" with the cluster's master and ship the binary and the
codebook to the workers (e.g. `--files`).
"""
import shlex
import sys

from pyspark import SparkContext


def main():
    tanda, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    parts = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    sc = SparkContext("local[2]", "tanda-code")
    sc.setLogLevel("ERROR")
    try:
        lines = sc.textFile(src, minPartitions=parts)
        coded = lines.pipe(f"{shlex.quote(tanda)} code --jsonl --quiet --no-hits")
        coded.saveAsTextFile(out)
        print(f"coded {lines.count()} documents in {lines.getNumPartitions()} partitions -> {out}")
    finally:
        sc.stop()


if __name__ == "__main__":
    main()
