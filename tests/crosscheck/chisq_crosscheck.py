#!/usr/bin/env python3
"""Cross-check tanda's crosstab tests against scipy.stats.chi2_contingency
(correction=False): chi-square, df, p, expected-count warning, Cramér's V
and adjusted residuals, for every category of the sample corpus by
source_type and by language. Needs scipy (installed with scikit-learn)."""
import json
import math
import os
import subprocess
import sys

try:
    import numpy as np
    from scipy.stats import chi2_contingency
except ImportError as e:
    print(f"chisq cross-check: missing package ({e})", file=sys.stderr)
    sys.exit(2)

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
tanda = os.environ.get("TANDA", os.path.join(root, "target", "release", "tanda"))
checked, problems = 0, []
for by in ["source_type", "language"]:
    out = subprocess.run([tanda, "analyze", "corpus", "--quiet", "--by", by, "--format", "json",
                          "--cluster", "none"],
                         cwd=root, capture_output=True, check=True, text=True).stdout
    v = json.loads(out)
    rows = [r for r in v["frequencies"] if r["by"] == by]
    groups = sorted({r["group"] for r in rows}, key=lambda g: [r["group"] for r in rows].index(g))
    for t in v["tests"]:
        cat = t["category"]
        # Unclustered, the test that ran is Pearson's, and its figures are
        # also kept under "pearson" (what clustered runs print beside F).
        assert t["test"].startswith("Pearson"), t["test"]
        pt = t["pearson"]
        for name in ["statistic", "p"]:
            checked += 1
            if t[name] != pt["chi2" if name == "statistic" else name]:
                problems.append(f"{by}/{cat} {name}: test {t[name]} pearson {pt}")
        t = dict(pt, category=cat)
        coded = [next(r for r in rows if r["group"] == g and r["category"] == cat)["passages_coded"] for g in groups]
        total = [next(r for r in rows if r["group"] == g and r["category"] == cat)["passages"] for g in groups]
        table = np.array([coded, [n - c for n, c in zip(total, coded)]], dtype=float)
        keep = table.sum(axis=0) > 0
        table = table[:, keep]
        chi2, p, dof, expected = chi2_contingency(table, correction=False)
        n = table.sum()
        v_ref = math.sqrt(chi2 / (n * (min(table.shape) - 1)))
        rt, ct = table.sum(axis=1, keepdims=True), table.sum(axis=0, keepdims=True)
        adj = (table - expected) / np.sqrt(expected * (1 - rt / n) * (1 - ct / n))
        small = bool((expected < 5).mean() > 0.2 or (expected < 1).any())
        mine = [x for x, k in zip(t["residuals"][0], keep) if k]
        for name, a, b in [("chi2", t["chi2"], chi2), ("p", t["p"], p), ("df", t["df"], dof), ("V", t["cramers_v"], v_ref)]:
            checked += 1
            if abs(a - b) > 1e-6 * max(1.0, abs(b)):
                problems.append(f"{by}/{cat} {name}: tanda {a} scipy {b}")
        for a, b in zip(mine, adj[0]):
            checked += 1
            if abs(a - b) > 1e-6:
                problems.append(f"{by}/{cat} residual: tanda {a} reference {b}")
        checked += 1
        if t["small_expected"] != small:
            problems.append(f"{by}/{cat} small_expected: tanda {t['small_expected']} reference {small}")
if problems:
    print("\n".join(problems))
    print(f"chisq cross-check: {len(problems)} of {checked} figures differ")
    sys.exit(1)
print(f"chisq cross-check: {checked} figures equal to scipy.stats.chi2_contingency (tolerance 1e-6)")
