#!/usr/bin/env python3
"""Cross-check `tanda agree` against the Python packages `krippendorff`
(alpha at all four levels, with missing values) and scikit-learn (Cohen's
kappa, precision, recall, F1). Random coder sheets are generated with a fixed
seed; every figure tanda prints must match to 1e-6.

Needs: pip install krippendorff scikit-learn
"""
import csv
import json
import os
import random
import subprocess
import sys
import tempfile

try:
    import krippendorff
    import numpy as np
    from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score
except ImportError as e:
    print(f"agree cross-check: missing package ({e}); pip install krippendorff scikit-learn", file=sys.stderr)
    sys.exit(2)

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
tanda = os.environ.get("TANDA", os.path.join(root, "target", "release", "tanda"))
rng = random.Random(2011)
checked = 0
problems = []


def close(name, a, b):
    global checked
    checked += 1
    if a is None or b is None or (isinstance(b, float) and np.isnan(b)):
        if not (a is None and (b is None or np.isnan(b))):
            problems.append(f"{name}: tanda {a} vs reference {b}")
        return
    if abs(a - b) > 1e-6:
        problems.append(f"{name}: tanda {a} vs reference {b}")


def write(path, ids, cats, values):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["passage_id"] + cats)
        for i, pid in enumerate(ids):
            w.writerow([pid] + ["" if values[c][i] is None else values[c][i] for c in cats])


def agree(paths, *extra):
    out = subprocess.run([tanda, "agree", *paths, "--format", "json", *extra],
                         capture_output=True, check=True, text=True).stdout
    return json.loads(out)


with tempfile.TemporaryDirectory() as d:
    for trial in range(20):
        n_units = rng.randint(20, 80)
        n_coders = rng.choice([2, 3, 4])
        ids = [f"u{i:03d}" for i in range(n_units)]
        cats = ["binary", "scale"]
        coders = []
        for c in range(n_coders):
            vals = {}
            truth_b = [rng.random() < 0.4 for _ in ids]
            vals["binary"] = [None if rng.random() < 0.1 else int(t if rng.random() < 0.8 else not t) for t in truth_b]
            vals["scale"] = [None if rng.random() < 0.15 else rng.choice([1, 2, 3, 4, 5]) for _ in ids]
            coders.append(vals)
        # Make coders correlated: coder k copies coder 0 on ~70% of units.
        for k in range(1, n_coders):
            for cat in cats:
                for i in range(n_units):
                    if rng.random() < 0.7 and coders[0][cat][i] is not None and coders[k][cat][i] is not None:
                        coders[k][cat][i] = coders[0][cat][i]
        paths = []
        for k, vals in enumerate(coders):
            p = os.path.join(d, f"t{trial}_c{k}.csv")
            write(p, ids, cats, vals)
            paths.append(p)
        for level in ["nominal", "ordinal", "interval", "ratio"]:
            res = agree(paths, "--level", level)
            for row in res["agreement"]:
                cat = row["category"]
                matrix = np.array([[np.nan if v is None else v for v in coders[k][cat]] for k in range(n_coders)], dtype=float)
                try:
                    ref = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
                except Exception:
                    ref = None
                close(f"trial {trial} {cat} alpha/{level}", row["alpha"], ref)
        if n_coders == 2:
            res = agree(paths, "--reference", paths[0])
            for row in res["agreement"]:
                cat = row["category"]
                pairs = [(a, b) for a, b in zip(coders[0][cat], coders[1][cat]) if a is not None and b is not None]
                ref = cohen_kappa_score([a for a, _ in pairs], [b for _, b in pairs])
                close(f"trial {trial} {cat} cohen", row["kappa"], ref)
            for row in res["against_reference"]:
                if row["category"] != "binary":
                    continue
                pairs = [(a, b) for a, b in zip(coders[0]["binary"], coders[1]["binary"]) if a is not None and b is not None]
                y, p = [a for a, _ in pairs], [b for _, b in pairs]
                close(f"trial {trial} precision", row["precision"], precision_score(y, p, zero_division=np.nan))
                close(f"trial {trial} recall", row["recall"], recall_score(y, p, zero_division=np.nan))
                close(f"trial {trial} f1", row["f1"], f1_score(y, p, zero_division=np.nan))

if problems:
    print("\n".join(problems))
    print(f"agree cross-check: {len(problems)} of {checked} figures differ")
    sys.exit(1)
print(f"agree cross-check: {checked} figures equal to krippendorff/scikit-learn (tolerance 1e-6)")
