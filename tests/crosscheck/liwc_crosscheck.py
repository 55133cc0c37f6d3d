#!/usr/bin/env python3
"""Cross-check tanda's LIWC .dic support against the Python `liwc` package.

    pip install liwc
    python3 tests/crosscheck/liwc_crosscheck.py               # needs a built tanda
    python3 tests/crosscheck/liwc_crosscheck.py --liwc-only   # liwc side alone

Environment: TANDA = path of the tanda binary (default target/release/tanda,
relative to the repository root).  Paths below are relative to the root; the
script can be started from any directory.

What is compared: for every text in tests/crosscheck/texts and every category
of tests/crosscheck/crosscheck.dic, the hit count in tanda's passages.csv
(`--unit document`, so one row per document; the category column is named by
the category NAME) against the count liwc-python gives when it is fed the
tokens `re.findall(r"[a-z0-9]+", text.lower())`.

How liwc-python 0.5.0 matches (read from site-packages/liwc/trie.py and
checked below on every token of the texts): the dictionary becomes a character
trie; `care*` puts a "*" marker on the node after "care", an exact word a "$"
marker on its last node.  search_trie walks the token's characters from the
root and returns AT THE FIRST NODE CARRYING "*" — before it looks at "$" and
before the token has ended.  So for one token liwc returns the categories of
ONE entry only:
  * the shortest glob whose prefix the token starts with (the prefix may be
    the whole token: `care*` matches "care"), if any glob matches;
  * otherwise the exact entry equal to the token, if any;
  * otherwise nothing.
A glob therefore SHADOWS every exact entry (and every longer glob) it covers:
with `care*` in children and `career` in actors, "career" counts for children
only.  tanda matches every entry independently ("one word may count for
several categories", at most once per category), so "career" counts for
children AND actors.  Cells of such tokens differ by design:
    tanda[doc][B] == liwc[doc][B] + shadowed[doc][B]
where shadowed[doc][B] is the number of tokens of doc that some entry of
category B matches although the entry liwc picks is not in B.  Every other
cell must be equal.  This rule is computed here from the dictionary by our own
reader (neither tool's code), and the script first checks, token by token,
that liwc-python really returns what the rule predicts.

Exit status: 0 all cells as expected; 1 some cell unexpected (each printed)
or tanda failed; 2 setup problem (liwc not importable, tanda not found).
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

try:
    import liwc
except ImportError:
    print("liwc_crosscheck: the Python package `liwc` is not importable; "
          "install it with `pip install liwc`", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TEXTS_REL = "tests/crosscheck/texts"
DIC_REL = "tests/crosscheck/crosscheck.dic"
TOKEN_RE = re.compile(r"[a-z0-9]+")
SUMMARY = ("liwc cross-check: {equal} cells equal, {design} cells differ by design "
           "(glob shadows exact), {unexpected} unexpected")


def tokens(text):
    return TOKEN_RE.findall(text.lower())


def load_texts():
    folder = os.path.join(ROOT, TEXTS_REL)
    texts = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                texts[name] = f.read()
    if not texts:
        sys.exit(f"liwc_crosscheck: no .txt files in {folder}")
    return texts


class Dic:
    """Our own reader of the LIWC2007 .dic format (independent of both tools).

    Header between the first two lines holding only `%`: `ID<TAB>name`.
    Entries: `term<TAB>id<TAB>id...`; a trailing `*` is a prefix glob.
    It refuses what would make the comparison ambiguous: duplicate terms
    (liwc keeps the last), multi-word or conditional entries, undeclared ids,
    an id repeated on one line.
    """

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
        if len(marks) < 2:
            sys.exit(f"{path}: header not closed by a second %")
        self.names = []          # category names in header order
        id_to_name = {}
        for line in lines[marks[0] + 1:marks[1]]:
            cid, name = line.strip().split("\t", 1)
            id_to_name[cid] = name.strip()
            self.names.append(name.strip())
        self.exact = {}          # word -> set of category names
        self.globs = {}          # prefix -> set of category names
        problems = []
        for lineno in range(marks[1] + 1, len(lines)):
            fields = lines[lineno].strip().split("\t")
            if fields == [""]:
                continue
            term, ids = fields[0], fields[1:]
            where = f"{path}:{lineno + 1}"
            if not re.fullmatch(r"[a-z0-9]+\*?", term):
                problems.append(f"{where}: term {term!r} is not one lower-case word")
            if not ids or any(i not in id_to_name for i in ids) or len(set(ids)) != len(ids):
                problems.append(f"{where}: bad category ids {ids!r}")
                continue
            table, key = (self.globs, term[:-1]) if term.endswith("*") else (self.exact, term)
            if key in table:
                problems.append(f"{where}: duplicate term {term!r}")
            table[key] = {id_to_name[i] for i in ids}
        if problems:
            sys.exit("\n".join(problems))

    def all_matches(self, tok):
        """(category set) of every entry matching tok: what tanda counts."""
        cats = set(self.exact.get(tok, ()))
        for prefix, gcats in self.globs.items():
            if tok.startswith(prefix):
                cats |= gcats
        return cats

    def liwc_rule(self, tok):
        """What liwc-python returns for tok, by the rule in the module doc."""
        matching = [p for p in self.globs if tok.startswith(p)]
        if matching:
            return set(self.globs[min(matching, key=len)])
        return set(self.exact.get(tok, ()))

    def shadow_pairs(self):
        """Static list: (glob, covered entry, categories lost by the covered entry)."""
        pairs = []
        for prefix, gcats in sorted(self.globs.items()):
            for word, wcats in sorted(self.exact.items()):
                if word.startswith(prefix) and wcats - gcats:
                    pairs.append((prefix + "*", word, wcats - gcats))
            for other, ocats in sorted(self.globs.items()):
                if other != prefix and other.startswith(prefix) and ocats - gcats:
                    pairs.append((prefix + "*", other + "*", ocats - gcats))
        return pairs


def liwc_side(dic, texts):
    """liwc-python counts, and the expected tanda counts from our own rule."""
    parse, liwc_names = liwc.load_token_parser(os.path.join(ROOT, DIC_REL))
    if list(liwc_names) != dic.names:
        sys.exit(f"liwc_crosscheck: liwc read categories {liwc_names}, we read {dic.names}")
    liwc_counts, expected, shadowed = {}, {}, {}
    mismatches = []
    for doc, text in texts.items():
        toks = tokens(text)
        liwc_counts[doc] = Counter(cat for tok in toks for cat in parse(tok))
        expected[doc], shadowed[doc] = Counter(), Counter()
        for tok in toks:
            got = list(parse(tok))
            if len(got) != len(set(got)) or set(got) != dic.liwc_rule(tok):
                mismatches.append(f"{doc}: token {tok!r}: liwc gives {sorted(got)}, "
                                  f"rule predicts {sorted(dic.liwc_rule(tok))}")
            full = dic.all_matches(tok)
            expected[doc].update(full)
            shadowed[doc].update(full - dic.liwc_rule(tok))
    if mismatches:
        print("liwc-python does not behave as this script models it:", file=sys.stderr)
        for m in sorted(set(mismatches)):
            print("  " + m, file=sys.stderr)
        sys.exit(1)
    for doc in texts:
        for cat in dic.names:
            assert expected[doc][cat] == liwc_counts[doc][cat] + shadowed[doc][cat]
    return liwc_counts, expected, shadowed


def print_liwc_only(dic, texts, liwc_counts, expected, shadowed):
    print("shadow pairs in the dictionary (glob, covered entry, categories liwc drops):")
    for glob, covered, lost in dic.shadow_pairs():
        print(f"  {glob:<10} {covered:<10} {', '.join(sorted(lost))}")
    print("\nliwc-python counts per document (+N: tanda is expected N higher, shadowed tokens)")
    print("doc      words  " + "  ".join(f"{n:>{max(len(n), 6)}}" for n in dic.names))
    for doc, text in texts.items():
        cells = []
        for n in dic.names:
            cell = str(liwc_counts[doc][n])
            if shadowed[doc][n]:
                cell += f"+{shadowed[doc][n]}"
            cells.append(f"{cell:>{max(len(n), 6)}}")
        print(f"{doc:<8} {len(tokens(text)):>5}  " + "  ".join(cells))
    design = sum(1 for d in texts for n in dic.names if shadowed[d][n])
    print(f"\n{len(texts) * len(dic.names)} cells, {design} of them differ by design; "
          f"liwc-python agreed with the shadowing rule on every token")


def run_tanda(outdir):
    tanda = os.environ.get("TANDA", "target/release/tanda")
    if os.sep in tanda and not os.path.isabs(tanda):
        tanda = os.path.join(ROOT, tanda)
    elif os.sep not in tanda:
        tanda = shutil.which(tanda) or tanda
    if not (os.path.isfile(tanda) and os.access(tanda, os.X_OK)):
        print(f"liwc_crosscheck: tanda binary not found at {tanda}; run `cargo build --release` "
              "or set TANDA", file=sys.stderr)
        sys.exit(2)
    cmd = [tanda, "analyze", TEXTS_REL, "--codebook", DIC_REL, "--unit", "document",
           "--out", outdir, "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"liwc_crosscheck: `{' '.join(cmd)}` exited {proc.returncode}", file=sys.stderr)
        output = (proc.stdout + proc.stderr).splitlines()
        print("\n".join(output[:30]), file=sys.stderr)
        if len(output) > 30:
            print(f"... ({len(output) - 30} more lines)", file=sys.stderr)
        sys.exit(1)
    path = os.path.join(outdir, "passages.csv")
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def compare(dic, texts, rows, liwc_counts, expected, shadowed):
    unexpected = []
    if rows:
        missing = [f"{n}:hits" for n in dic.names if f"{n}:hits" not in rows[0]]
        if missing:
            print(f"liwc_crosscheck: passages.csv has no column for {missing}; "
                  f"columns are {list(rows[0])}", file=sys.stderr)
            sys.exit(1)
    by_doc = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    for doc in sorted(set(by_doc) - set(texts)):
        unexpected.append(f"{doc}: in passages.csv but not a text of the cross-check")
    equal = design = 0
    for doc, text in texts.items():
        doc_rows = by_doc.get(doc, [])
        if len(doc_rows) != 1:
            unexpected.append(f"{doc}: {len(doc_rows)} rows in passages.csv, want 1")
            continue
        row = doc_rows[0]
        if "words" in row and row["words"] != str(len(tokens(text))):
            print(f"note: {doc}: tanda counts {row['words']} words, the [a-z0-9]+ "
                  f"tokenisation {len(tokens(text))}", file=sys.stderr)
        for cat in dic.names:
            # The category column is the coding decision; the hit count is
            # `CATEGORY:hits`, and a passage is coded iff it has a hit here
            # (no weights, threshold 1).
            try:
                got = int(row[f"{cat}:hits"])
            except ValueError:
                unexpected.append(f"{doc} {cat}: not a number: {row[f'{cat}:hits']!r}")
                continue
            if row[cat] != ("1" if got > 0 else "0"):
                unexpected.append(f"{doc} {cat}: decision {row[cat]!r} with {got} hit(s)")
            want, lv, sh = expected[doc][cat], liwc_counts[doc][cat], shadowed[doc][cat]
            if got != want:
                unexpected.append(f"{doc} {cat}: tanda {got}, liwc {lv}, expected tanda {want} "
                                  f"(liwc + {sh} shadowed)")
            elif sh:
                design += 1
            else:
                equal += 1
    return equal, design, unexpected


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--liwc-only", action="store_true",
                    help="do not run tanda; print liwc-python's counts and the shadowed cells")
    ap.add_argument("--out", metavar="DIR",
                    help="let tanda write into DIR (kept) instead of a temporary folder")
    args = ap.parse_args()

    dic = Dic(os.path.join(ROOT, DIC_REL))
    texts = load_texts()
    liwc_counts, expected, shadowed = liwc_side(dic, texts)
    if args.liwc_only:
        print_liwc_only(dic, texts, liwc_counts, expected, shadowed)
        return 0
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        rows = run_tanda(os.path.abspath(args.out))
    else:
        with tempfile.TemporaryDirectory(prefix="tanda-liwc-") as outdir:
            rows = run_tanda(outdir)
    equal, design, unexpected = compare(dic, texts, rows, liwc_counts, expected, shadowed)
    for u in unexpected:
        print("unexpected: " + u)
    print(SUMMARY.format(equal=equal, design=design, unexpected=len(unexpected)))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
