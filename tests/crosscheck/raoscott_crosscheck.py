#!/usr/bin/env python3
"""Reference figures for tanda's clustered crosstab tests (src/report/cluster.rs).

Generates synthetic clustered datasets with a fixed seed (documents nested in
2-4 groups, 3-40 documents per group, 1-30 passages per document, coded
passages and hits per word that vary between documents) and computes, for each:

* the Rao-Scott test of coded x group with documents as PSUs, with samplics'
  CrossTabulation (Pearson X^2, the second-order F with its df, the same
  figures as R's survey::svychisq(statistic = "F")); the first-order X^2/mean
  deff is derived from them (mean deff = X^2 / (F (k - 1)));
* the likelihood-ratio G^2 of equal Poisson rates with words as exposure, with
  statsmodels (deviance difference of Poisson GLMs with a log(words) offset,
  one row per document);
* its Rao-Scott correction: the design variances of the group rates (ratio
  estimators hits/words, documents as PSUs, with-replacement linearisation)
  from samplics' TaylorEstimator, their Poisson variances under H0
  (pooled rate / words of the group) from the statsmodels null fit, and the
  generalised design effects Delta computed here with numpy from explicit
  contrast matrices.

p-values are recomputed with scipy's survival functions (samplics reports
1 - cdf, which loses relative precision for small p).

Writes the datasets and figures to tests/fixtures/raoscott/cases.json; with
--check, recomputes everything and fails if the committed file differs (same
datasets exactly, figures to 1e-9 relative). The Rust test
`cluster_cases_match_references` (tests/stats_crosscheck.rs) feeds the
per-document data of that file through ClusterSums / RateSums and asserts
agreement to 1e-6 relative.

Needs: pip install samplics==0.4.22 statsmodels==0.15.0 (samplics 0.4.30 to
0.6.1 return a zero design-effect matrix, hence F = 0, for any table whose
matrices invert: their `try/except/else` sets Delta to zeros on success; 0.6.x
also fails with polars 2). Installs nothing itself.
"""
import argparse
import json
import math
import os
import sys
import warnings

try:
    import numpy as np
    import statsmodels.api as sm
    from samplics.categorical import CrossTabulation
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam
    from scipy.stats import chi2, f as fdist
except ImportError as e:
    print(f"raoscott cross-check: missing package ({e}); "
          "pip install samplics==0.4.22 statsmodels==0.15.0", file=sys.stderr)
    sys.exit(2)

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "raoscott", "cases.json")
SEED = 20261206


def draw_case(rng, name, k, docs_range, size_range, kappa, overdisp):
    """One synthetic dataset: rows [group, passages, coded, words, hits], one
    per document. kappa: beta concentration of a document's coding
    probability (small = documents differ a lot); overdisp: gamma shape of a
    document's rate multiplier (small = rates differ a lot between
    documents)."""
    while True:
        docs = []
        for g in range(k):
            p_g = rng.uniform(0.1, 0.6)
            rate_g = rng.uniform(2.0, 30.0) / 1000.0
            for _ in range(int(rng.integers(docs_range[0], docs_range[1] + 1))):
                m = int(rng.integers(size_range[0], size_range[1] + 1))
                pi = rng.beta(p_g * kappa, (1 - p_g) * kappa) if kappa else p_g
                y = int(rng.binomial(m, pi))
                w = int(rng.integers(20, 201, size=m).sum())
                mult = rng.gamma(overdisp, 1.0 / overdisp) if overdisp else 1.0
                h = int(rng.poisson(rate_g * w * mult))
                docs.append([g, m, y, w, h])
        a = np.array(docs)
        ok = all(
            0 < a[a[:, 0] == g, 2].sum() < a[a[:, 0] == g, 1].sum() and a[a[:, 0] == g, 4].sum() > 0
            for g in range(k)
        )
        if ok:
            return {"name": name, "groups": k, "docs": docs}


def make_cases():
    rng = np.random.default_rng(SEED)
    cases = [
        draw_case(rng, "two groups, few documents", 2, (3, 5), (1, 30), 2.0, 1.0),
        draw_case(rng, "passages as documents (size 1)", 3, (20, 40), (1, 1), 0, 0),
        draw_case(rng, "four groups, strong clustering", 4, (3, 40), (1, 30), 1.0, 0.5),
        draw_case(rng, "three groups, weak clustering", 3, (10, 40), (1, 30), 200.0, 50.0),
    ]
    for i in range(8):
        k = int(rng.integers(2, 5))
        kappa = float(rng.choice([0.5, 2.0, 10.0, 100.0]))
        overdisp = float(rng.choice([0.5, 2.0, 20.0]))
        cases.append(draw_case(rng, f"random {i + 1}", k, (3, 40), (1, 30), kappa, overdisp))
    return cases


def references(case):
    a = np.array(case["docs"], dtype=float)
    k = case["groups"]
    group, m, y, w, h = a[:, 0].astype(int), a[:, 1], a[:, 2], a[:, 3], a[:, 4]
    doc = np.arange(len(a))
    n = len(a)

    # Rao-Scott with samplics: one row per passage.
    coded, grp, psu = [], [], []
    for i in range(n):
        coded += ["1"] * int(y[i]) + ["0"] * int(m[i] - y[i])
        grp += [f"g{group[i]}"] * int(m[i])
        psu += [f"d{i}"] * int(m[i])
    tab = CrossTabulation(param=PopParam.count)
    tab.tabulate(vars=np.column_stack([coded, grp]), psu=np.array(psu))
    x2 = float(tab.stats["Pearson-Unadj"]["chisq_value"])
    adj = tab.stats["Pearson-Adj"]
    fv, df1, df2 = float(adj["f_value"]), float(adj["df_num"]), float(adj["df_den"])
    d = k - 1
    mean_deff = x2 / (fv * d)
    rs = {
        "pearson": x2,
        "p_pearson": float(chi2.sf(x2, d)),
        "mean_deff": mean_deff,
        "chi2": x2 / mean_deff,
        "p_chi2": float(chi2.sf(x2 / mean_deff, d)),
        "f": fv,
        "df1": df1,
        "df2": df2,
        "p_f": float(fdist.sf(fv, df1, df2)),
    }

    # Poisson LR with statsmodels: one row per document, log(words) offset.
    dummies = np.column_stack([np.ones(n)] + [(group == g).astype(float) for g in range(1, k)])
    kw = dict(tol=1e-14, maxiter=200)
    full = sm.GLM(h, dummies, family=sm.families.Poisson(), offset=np.log(w)).fit(**kw)
    null = sm.GLM(h, np.ones((n, 1)), family=sm.families.Poisson(), offset=np.log(w)).fit(**kw)
    g2 = float(null.deviance - full.deviance)
    rate_pooled = float(np.exp(null.params[0]))

    # Design variances of the group rates with samplics (ratio, domains).
    est = TaylorEstimator(param=PopParam.ratio)
    est.estimate(y=h, x=w, psu=doc, domain=group)
    v = np.array([float(est.variance[g]) for g in range(k)])
    words = np.array([w[group == g].sum() for g in range(k)])
    v0 = rate_pooled / words
    c = np.zeros((d, k))
    for s in range(d):
        c[s, s], c[s, k - 1] = 1.0, -1.0
    delta = np.linalg.solve(c @ np.diag(v0) @ c.T, c @ np.diag(v) @ c.T)
    tr, tr2 = float(np.trace(delta)), float(np.trace(delta @ delta))
    r_df1 = tr * tr / tr2
    r_df2 = r_df1 * (n - 1)
    r_deff = tr / d
    rate = {
        "g2": g2,
        "p_g2": float(chi2.sf(g2, d)),
        "mean_deff": r_deff,
        "chi2": g2 / r_deff,
        "p_chi2": float(chi2.sf(g2 / r_deff, d)),
        "f": g2 / tr,
        "df1": r_df1,
        "df2": r_df2,
        "p_f": float(fdist.sf(g2 / tr, r_df1, r_df2)),
    }
    return {"rao_scott": rs, "rate": rate}


def build():
    cases = make_cases()
    for case in cases:
        case.update(references(case))
    return {
        "generator": "tests/crosscheck/raoscott_crosscheck.py",
        "note": "synthetic data: docs rows are [group, passages, coded passages, words, hits]",
        "seed": SEED,
        "cases": cases,
    }


def dumps(doc):
    """JSON with one document row per line (diffable, not too long)."""
    out = ["{"]
    for key in ("generator", "note", "seed"):
        out.append(f" {json.dumps(key)}: {json.dumps(doc[key])},")
    out.append(' "cases": [')
    for i, case in enumerate(doc["cases"]):
        out.append("  {")
        for key in ("name", "groups", "rao_scott", "rate"):
            out.append(f"   {json.dumps(key)}: {json.dumps(case[key])},")
        rows = ",\n".join("    " + json.dumps(r) for r in case["docs"])
        out.append('   "docs": [\n' + rows + "\n   ]")
        out.append("  }" + ("," if i + 1 < len(doc["cases"]) else ""))
    out.append(" ]")
    out.append("}")
    return "\n".join(out) + "\n"


def compare(old, new):
    problems = []
    if len(old["cases"]) != len(new["cases"]):
        return [f"{len(old['cases'])} committed cases, {len(new['cases'])} generated"]
    for a, b in zip(old["cases"], new["cases"]):
        if a["docs"] != b["docs"] or a["groups"] != b["groups"]:
            problems.append(f"{b['name']}: datasets differ")
            continue
        for test in ("rao_scott", "rate"):
            for key, ref in b[test].items():
                got = a[test].get(key)
                if got is None or abs(got - ref) > 1e-9 * max(abs(ref), 1e-300):
                    problems.append(f"{b['name']} {test}.{key}: committed {got}, recomputed {ref}")
    return problems


def corpus_check():
    """End to end: tanda's crosstab tests on the sample corpus (by
    source_type, documents as clusters) against samplics/statsmodels computed
    from the passages.csv tanda wrote (decisions, words, counted hits)."""
    import csv
    import subprocess
    import tempfile

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tanda = os.environ.get("TANDA", os.path.join(root, "target", "release", "tanda"))
    checked, skipped, problems = 0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        tests = {}
        for measure in ["passages", "per1k"]:
            out = subprocess.run([tanda, "analyze", "corpus", "--quiet", "--by", "source_type",
                                  "--measure", measure, "--format", "json", "--out", tmp],
                                 cwd=root, capture_output=True, check=True, text=True).stdout
            tests[measure] = {t["category"]: t for t in json.loads(out)["tests"]}
        with open(os.path.join(tmp, "passages.csv"), newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    groups = sorted({r["source_type"] for r in rows})
    docs = sorted({r["doc_id"] for r in rows})
    for cat in tests["passages"]:
        data = []
        for d in docs:
            rs = [r for r in rows if r["doc_id"] == d]
            data.append([groups.index(rs[0]["source_type"]), len(rs),
                         sum(int(r[cat]) for r in rs), sum(int(r["words"]) for r in rs),
                         sum(int(r[f"{cat}:hits"]) for r in rs)])
        coded = [sum(x[2] for x in data if x[0] == g) for g in range(len(groups))]
        size = [sum(x[1] for x in data if x[0] == g) for g in range(len(groups))]
        if any(c == 0 or c == n for c, n in zip(coded, size)):
            # samplics 0.4.22 drops an empty cell's column; tanda follows R's
            # svychisq there (unit tests in src/report/cluster.rs hold R's
            # figures for such tables).
            skipped.append(f"{cat} (empty cell)")
            continue
        try:
            ref = references({"docs": data, "groups": len(groups)})
        except Exception as e:  # samplics 0.4.22 fails on tables with an empty cell
            skipped.append(f"{cat} ({type(e).__name__})")
            continue
        for measure, key in [("passages", "rao_scott"), ("per1k", "rate")]:
            t, r = tests[measure][cat], ref[key]
            for name, a, b in [("F", t["statistic"], r["f"]), ("df", t["df"], r["df1"]),
                               ("df2", t["df2"], r["df2"]), ("p", t["p"], r["p_f"]),
                               ("mean_deff", t["mean_deff"], r["mean_deff"])]:
                checked += 1
                if abs(a - b) > 1e-6 * max(1.0, abs(b)):
                    problems.append(f"{cat} {measure} {name}: tanda {a}, reference {b}")
    if problems:
        print("\n".join(problems))
        print(f"raoscott corpus check: {len(problems)} of {checked} figures differ")
        sys.exit(1)
    print(f"raoscott corpus check: {checked} figures of the sample corpus's clustered tests "
          f"equal to samplics/statsmodels (tolerance 1e-6)"
          + (f"; skipped: {', '.join(skipped)}" if skipped else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="verify the committed fixture")
    ap.add_argument("--corpus", action="store_true",
                    help="check tanda's clustered tests on the sample corpus end to end")
    args = ap.parse_args()
    if args.corpus:
        corpus_check()
        return
    new = build()
    if args.check:
        with open(FIXTURE, encoding="utf-8") as fh:
            old = json.load(fh)
        problems = compare(old, new)
        figures = sum(len(c["rao_scott"]) + len(c["rate"]) for c in new["cases"])
        if problems:
            print("\n".join(problems))
            print(f"raoscott cross-check: {len(problems)} of {figures} figures differ from {FIXTURE}")
            sys.exit(1)
        print(f"raoscott cross-check: {len(new['cases'])} cases, {figures} figures equal to "
              "samplics/statsmodels (tolerance 1e-9)")
        return
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, "w", encoding="utf-8") as fh:
        fh.write(dumps(new))
    for c in new["cases"]:
        rs, rt = c["rao_scott"], c["rate"]
        print(f"{c['name']:32} k={c['groups']} docs={len(c['docs']):3}  X2={rs['pearson']:8.3f} "
              f"deff={rs['mean_deff']:6.3f} F={rs['f']:7.3f} p={rs['p_f']:.3g}  "
              f"G2={rt['g2']:8.2f} deff={rt['mean_deff']:6.2f} p={rt['p_f']:.3g}")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
