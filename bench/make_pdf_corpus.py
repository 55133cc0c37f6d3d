#!/usr/bin/env python3
"""Turn the first N documents of a generated benchmark corpus into PDFs.

Usage: make_pdf_corpus.py SRC_DIR OUT_DIR [N=200]

Each .txt document becomes a PDF with a text layer (reportlab, A4, one
paragraph per blank-line-separated block), so the re-coding benchmark
(bench/recode.sh) measures a corpus where extraction is the expensive part.
Needs `pip install reportlab`.
"""
import os
import sys
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate


def main():
    src, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    os.makedirs(out, exist_ok=True)
    style = getSampleStyleSheet()["BodyText"]
    names = sorted(f for f in os.listdir(src) if f.endswith(".txt"))[:n]
    for name in names:
        with open(os.path.join(src, name), encoding="utf-8") as fh:
            text = fh.read()
        blocks = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
        doc = SimpleDocTemplate(os.path.join(out, name[:-4] + ".pdf"), pagesize=A4, invariant=1)
        doc.build([Paragraph(escape(b), style) for b in blocks])
    print(f"wrote {len(names)} PDFs to {out}")


if __name__ == "__main__":
    main()
