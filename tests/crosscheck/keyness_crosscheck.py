#!/usr/bin/env python3
"""Cross-check `tanda keyness` against scipy: for every term tanda lists
(target and reference counts, and the totals of terms of its length), G² is
recomputed with scipy.stats.chi2_contingency(lambda_="log-likelihood",
correction=False), p with chi2.sf on 1 df, and Hardie's log ratio from its
definition. Runs on the sample corpus, for a category and for FIELD=VALUE,
single words and 2-3 word phrases."""
import csv
import io
import math
import os
import subprocess
import sys
import tempfile

try:
    from scipy.stats import chi2, chi2_contingency
except ImportError as e:
    print(f"keyness cross-check: missing package ({e})", file=sys.stderr)
    sys.exit(2)

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
tanda = os.environ.get("TANDA", os.path.join(root, "target", "release", "tanda"))
checked, problems = 0, []
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([tanda, "analyze", "corpus", "--quiet", "--out", tmp, "--csv-only"],
                   cwd=root, check=True, capture_output=True)
    for target, ngrams in [("leverage.moral", "1"), ("accountability", "2-3"),
                           ("source_type=statute", "1"), ("language=id", "2")]:
        out = subprocess.run([tanda, "keyness", tmp, "--target", target, "--ngrams", ngrams,
                              "--top", "200", "--min-count", "1", "--format", "csv"],
                             cwd=root, check=True, capture_output=True, text=True).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        if not rows:
            problems.append(f"{target}: no rows")
        for r in rows:
            a, b = int(r["target"]), int(r["reference"])
            nt, nr = int(r["target_total"]), int(r["reference_total"])
            table = [[a, b], [nt - a, nr - b]]
            g2, p, _, expected = chi2_contingency(table, correction=False, lambda_="log-likelihood")
            sign = 1.0 if a >= expected[0][0] else -1.0
            rel = lambda x, n: (x if x else 0.5) / n
            lr = math.log2(rel(a, nt) / rel(b, nr))
            for name, got, want in [("g2", float(r["g2"]), sign * g2),
                                    ("p", float(r["p"]), chi2.sf(g2, 1)),
                                    ("log_ratio", float(r["log_ratio"]), lr)]:
                checked += 1
                if abs(got - want) > 1e-5 * max(1.0, abs(want)):
                    problems.append(f"{target} {r['term']} {name}: tanda {got}, scipy {want}")
if problems:
    print("\n".join(problems[:30]))
    print(f"keyness cross-check: {len(problems)} of {checked} figures differ")
    sys.exit(1)
print(f"keyness cross-check: {checked} figures equal to scipy (G² log-likelihood, p, log ratio; tolerance 1e-5)")
