#!/usr/bin/env python3
"""The same per-document category counting job in Python peers, for
bench/run.sh: `liwc` (the PyPI package) and `pyahocorasick`.

    peers.py liwc|aho CORPUS_DIR DICT.dic

Both read every .txt file, tokenise lower-case words ([a-z0-9']+ and other
letters), count per category, and print the total number of hits (so the
work cannot be optimised away)."""
import collections
import os
import re
import sys

mode, corpus, dic = sys.argv[1:4]
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def files():
    for root, _, names in os.walk(corpus):
        for n in sorted(names):
            if n.endswith(".txt"):
                yield os.path.join(root, n)


def read_dic(path):
    cats, entries, section = {}, [], 0
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line.strip() == "%":
            section += 1
            continue
        if section == 1:
            num, name = line.split("\t", 1)
            cats[num.strip()] = name.strip()
        elif section >= 2 and line.strip():
            term, *ids = line.split("\t")
            entries.append((term.strip().lower(), [cats[i.strip()] for i in ids if i.strip() in cats]))
    return entries


total = 0
if mode == "liwc":
    import liwc
    parse, _ = liwc.load_token_parser(dic)
    for f in files():
        text = open(f, encoding="utf-8").read().lower()
        counts = collections.Counter(c for tok in WORD.findall(text) for c in parse(tok))
        total += sum(counts.values())
elif mode == "aho":
    import ahocorasick
    A = ahocorasick.Automaton()
    for term, cats in read_dic(dic):
        words = term.split()
        if words[-1].endswith("*"):
            key = " " + " ".join(words)[:-1]  # stem: open end
        else:
            key = " " + " ".join(words) + " "
        A.add_word(key, (len(key), cats))
    A.make_automaton()
    for f in files():
        text = " " + " ".join(WORD.findall(open(f, encoding="utf-8").read().lower())) + " "
        counts = collections.Counter()
        for _, (n, cats) in A.iter_long(text):
            counts.update(cats)
        total += sum(counts.values())
print(total)
