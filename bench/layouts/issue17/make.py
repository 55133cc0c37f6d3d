#!/usr/bin/env python3
"""Synthetic document in the layout of issue 17 (text extracted from an
Indonesian journal PDF): every text line is followed by a blank line; a new
paragraph is marked only by a leading space, with no blank line before it;
a page break drops the blank line; a reduplication is hyphenated across a
line end AND a blank line (`anak-`, blank, `anak`).

Writes tests/fixtures/layouts/truth/issue17.tsv and
tests/fixtures/layouts/issue17/handmade.mixed-rhythm.txt. The text is our
own (synthetic), 5 headings and 28 paragraphs.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
UNITS = [l.rstrip("\n") for l in open(Path(__file__).with_name("units.txt"), encoding="utf-8") if l.strip()]
PAGE = 38  # text lines per page


def wrap(text, WIDTH):
    lines, cur = [], ""
    for w in text.split():
        if not cur:
            cur = w
        elif len(cur) + 1 + len(w) <= WIDTH:
            cur += " " + w
        else:
            head, sep, tail = w.partition("-")
            # Break a reduplication at its hyphen, as a typesetter does.
            if sep and head == tail and len(cur) + 2 + len(head) <= WIDTH:
                lines.append(cur + " " + head + "-")
                cur = tail
            else:
                lines.append(cur)
                cur = w
    if cur:
        lines.append(cur)
    return lines


def splits(width):
    return sum(l.endswith(" anak-") for u in UNITS for l in wrap(u.split("\t", 1)[1], width))


# The first width from 62 up that breaks `anak-anak` at a line end.
WIDTH = next(w for w in range(62, 90) if splits(w) >= 1)
out = []
count = 0
split_redup = 0
for u in UNITS:
    kind, text = u.split("\t", 1)
    lines = wrap(text, WIDTH)
    for i, line in enumerate(lines):
        if i == 0 and kind == "P":
            line = " " + line
        # The blank after the previous line is dropped at a unit start
        # and at a page break.
        if out and out[-1] == "" and (i == 0 or count % PAGE == 0):
            out.pop()
        if line.endswith("-"):
            split_redup += 1
        out.append(line)
        out.append("")
        count += 1
assert split_redup >= 1, "no reduplication split at a line end"
(ROOT / "tests/fixtures/layouts/issue17").mkdir(parents=True, exist_ok=True)
(ROOT / "tests/fixtures/layouts/issue17/handmade.mixed-rhythm.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
with open(ROOT / "tests/fixtures/layouts/truth/issue17.tsv", "w", encoding="utf-8") as f:
    f.write("# synthetic document (issue 17 layout); units from bench/layouts/issue17/units.txt\n")
    for u in UNITS:
        k, t = u.split("\t", 1)
        f.write(f"{'H' if k == 'H' else 'P'}\t{t}\n")
print(f"{len(UNITS)} units, {count} lines, {split_redup} reduplications split")
