#!/usr/bin/env python3
"""Layout benchmark generator: typeset each source in real layouts, extract
the PDFs as users do, and write the truth.

    python3 bench/layouts/make.py [--src DIR] [--work DIR] [--only NAME]

For every bench/layouts/src/*.md (light markup, see docs/layouts.md):
  * truth  -> tests/fixtures/layouts/truth/NAME.tsv  (KIND<TAB>text per unit;
              T title, H heading, P paragraph, L list item, F footnote)
  * PDFs   -> WORK/NAME/LAYOUT.pdf for the layouts below
  * text   -> tests/fixtures/layouts/NAME/LAYOUT.EXTRACTOR.txt for the
              extractors pdftotext (default), pdftotext -layout,
              pdftotext -raw; tanda's own PDF reader is dumped by
              `cargo test --test layouts -- --ignored dump_tanda_pdf`
              (bench/layouts/run.sh does that).

Layouts:
  latex-indent      article, \\parindent 1.5em, \\parskip 0, fancyhdr running
                    header, page number footer, footnotes
  latex-twocol      the same in two columns
  latex-manuscript  12pt, setspace \\doublespacing, indented paragraphs
  writer-double     LibreOffice Writer from a generated flat ODT:
                    double-spaced, first-line indent, header, page-number
                    footer, footnotes
  writer-block      LibreOffice Writer: single-spaced block paragraphs with
                    space after, header/footer, footnotes
  chromium          an HTML page printed to PDF by headless Chromium, with
                    Chromium's default print header and footer (date, title,
                    URL, page x/y)

Heavy tools (pdflatex, soffice, chromium, pdftotext) run here only; CI scores
the committed .txt files.
"""

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "layouts"

LAYOUTS = [
    "latex-indent",
    "latex-twocol",
    "latex-manuscript",
    "writer-double",
    "writer-block",
    "chromium",
]
EXTRACTORS = {
    "pdftotext": [],
    "pdftotext-layout": ["-layout"],
    "pdftotext-raw": ["-raw"],
}

NOTE = re.compile(r"\[\^(\d+)\]")


# ---------------------------------------------------------------- parsing
def parse(path):
    """(meta, units, notes): units are (kind, text-with-markers) in order;
    notes maps a number to its footnote text."""
    meta, units, notes = {}, [], {}
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines) and lines[i].strip() != "---":
        if ":" in lines[i]:
            k, v = lines[i].split(":", 1)
            meta[k.strip()] = v.strip()
        i += 1
    for line in lines[i + 1 :]:
        t = line.strip()
        if not t:
            continue
        m = re.match(r"\[\^(\d+)\]:\s*(.*)", t)
        if m:
            notes[m.group(1)] = m.group(2)
        elif t.startswith("## "):
            units.append(("H2", t[3:].strip()))
        elif t.startswith("# "):
            units.append(("H1", t[2:].strip()))
        elif t.startswith("- "):
            units.append(("L", t[2:].strip()))
        else:
            units.append(("P", t))
    return meta, units, notes


def plain(s):
    """Text of a unit as a reader sees it: markers and emphasis removed."""
    s = NOTE.sub("", s)
    s = re.sub(r"\*\*(.+?)\*\*", r"\1", s)
    s = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"\1", s)
    return s


def write_truth(name, meta, units, notes):
    out = FIX / "truth"
    out.mkdir(parents=True, exist_ok=True)
    rows = [("T", meta.get("title", name))]
    for kind, text in units:
        rows.append(("H" if kind.startswith("H") else kind, plain(text)))
    for n in sorted(notes, key=int):
        rows.append(("F", plain(notes[n])))
    with open(out / f"{name}.tsv", "w", encoding="utf-8") as f:
        f.write("# synthetic document; truth units from bench/layouts/src/%s.md\n" % name)
        for k, t in rows:
            f.write(f"{k}\t{t}\n")


# ---------------------------------------------------------------- LaTeX
TEX_ESC = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def tex_inline(s, notes):
    parts = []
    pos = 0
    for m in NOTE.finditer(s):
        parts.append(tex_text(s[pos : m.start()]))
        parts.append(r"\footnote{%s}" % tex_text(notes.get(m.group(1), "")))
        pos = m.end()
    parts.append(tex_text(s[pos:]))
    return "".join(parts)


def tex_text(s):
    s = "".join(TEX_ESC.get(c, c) for c in s)
    s = re.sub(r"\*\*(.+?)\*\*", r"\\textbf{\1}", s)
    s = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"\\emph{\1}", s)
    return s


def latex(meta, units, notes, layout):
    cls = "12pt" if layout == "latex-manuscript" else "11pt"
    opts = [cls, "a4paper"]
    if layout == "latex-twocol":
        opts.append("twocolumn")
    lang = meta.get("lang", "en")
    pre = [
        r"\documentclass[%s]{article}" % ",".join(opts),
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage[margin=2.5cm]{geometry}",
        r"\usepackage{fancyhdr}",
        r"\pagestyle{fancy}\fancyhf{}",
        r"\fancyhead[C]{\small %s}" % tex_text(meta.get("running_header", "")),
        r"\fancyfoot[C]{\thepage}",
        r"\setlength{\parindent}{1.5em}\setlength{\parskip}{0pt}",
    ]
    if layout == "latex-manuscript":
        pre.append(r"\usepackage{setspace}\doublespacing")
    if lang == "id":
        # No Indonesian patterns installed: TeX hyphenates with the default
        # (US English) patterns, as many Indonesian journals' templates do.
        pass
    body = [r"\begin{document}", r"\thispagestyle{fancy}"]
    body.append(r"{\noindent\Large\bfseries %s\par}\bigskip" % tex_text(meta.get("title", "")))
    in_list = False
    for kind, text in units:
        if kind != "L" and in_list:
            body.append(r"\end{itemize}")
            in_list = False
        if kind == "H1":
            body.append(r"\section*{%s}" % tex_inline(text, notes))
        elif kind == "H2":
            body.append(r"\subsection*{%s}" % tex_inline(text, notes))
        elif kind == "L":
            if not in_list:
                body.append(r"\begin{itemize}")
                in_list = True
            body.append(r"\item %s" % tex_inline(text, notes))
        else:
            body.append(tex_inline(text, notes) + "\n")
    if in_list:
        body.append(r"\end{itemize}")
    body.append(r"\end{document}")
    return "\n".join(pre + body) + "\n"


def run_latex(src, pdf):
    d = pdf.parent
    tex = d / (pdf.stem + ".tex")
    tex.write_text(src, encoding="utf-8")
    for _ in range(2):
        r = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
            cwd=d,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if r.returncode != 0:
            sys.exit(f"pdflatex failed on {tex}:\n{r.stdout[-3000:]}")


# ---------------------------------------------------------------- Writer
def x(s):
    return html.escape(s, quote=True)


def odt_inline(s, notes):
    out = []
    pos = 0
    for m in NOTE.finditer(s):
        out.append(odt_text(s[pos : m.start()]))
        n = m.group(1)
        out.append(
            '<text:note text:id="ftn%s" text:note-class="footnote">'
            "<text:note-citation>%s</text:note-citation><text:note-body>"
            '<text:p text:style-name="Footnote">%s</text:p></text:note-body></text:note>'
            % (n, n, odt_text(notes.get(n, "")))
        )
        pos = m.end()
    out.append(odt_text(s[pos:]))
    return "".join(out)


def odt_text(s):
    s = x(s)
    s = re.sub(r"\*\*(.+?)\*\*", r'<text:span text:style-name="B">\1</text:span>', s)
    s = re.sub(
        r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r'<text:span text:style-name="I">\1</text:span>', s
    )
    return s


def fodt(meta, units, notes, layout):
    lang = meta.get("lang", "en")
    country = "ID" if lang == "id" else "US"
    if layout == "writer-double":
        body_par = 'fo:line-height="200%" fo:text-indent="1.27cm" fo:margin-top="0cm" fo:margin-bottom="0cm"'
        size = "12pt"
    else:
        body_par = 'fo:line-height="115%" fo:text-indent="0cm" fo:margin-top="0cm" fo:margin-bottom="0.28cm"'
        size = "11pt"
    styles = f"""
<office:font-face-decls>
 <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
  <style:text-properties style:font-name="Liberation Serif" fo:font-size="{size}" fo:language="{lang}" fo:country="{country}" fo:hyphenate="true" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="2"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
 <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties {body_par} fo:text-align="justify"/>
 </style:style>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.6cm"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="16pt" fo:font-weight="bold" fo:hyphenate="false"/>
 </style:style>
 <style:style style:name="H1" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt" fo:font-weight="bold" fo:hyphenate="false"/>
 </style:style>
 <style:style style:name="H2" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="12pt" fo:font-weight="bold" fo:font-style="italic" fo:hyphenate="false"/>
 </style:style>
 <style:style style:name="Item" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:text-indent="0cm" fo:margin-left="0.8cm"/>
 </style:style>
 <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:line-height="100%" fo:text-align="justify"/>
  <style:text-properties fo:font-size="10pt"/>
 </style:style>
 <style:style style:name="HeaderP" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="9pt" fo:font-style="italic"/>
 </style:style>
 <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="PL">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-bottom="0.5cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.5cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="PL">
  <style:header><text:p text:style-name="HeaderP">{x(meta.get("running_header", ""))}</text:p></style:header>
  <style:footer><text:p text:style-name="HeaderP">Page <text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
 </style:master-page>
</office:master-styles>
"""
    body = [f'<text:p text:style-name="Title">{x(meta.get("title", ""))}</text:p>']
    in_list = False
    for kind, text in units:
        if kind != "L" and in_list:
            body.append("</text:list>")
            in_list = False
        if kind in ("H1", "H2"):
            lvl = kind[1]
            body.append(
                f'<text:h text:style-name="{kind}" text:outline-level="{lvl}">{odt_inline(text, notes)}</text:h>'
            )
        elif kind == "L":
            if not in_list:
                body.append("<text:list>")
                in_list = True
            body.append(f'<text:list-item><text:p text:style-name="Item">• {odt_inline(text, notes)}</text:p></text:list-item>')
        else:
            body.append(f'<text:p text:style-name="Body">{odt_inline(text, notes)}</text:p>')
    if in_list:
        body.append("</text:list>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
{styles}
<office:body><office:text>
{chr(10).join(body)}
</office:text></office:body></office:document>
"""


def run_writer(src, pdf):
    d = pdf.parent
    f = d / (pdf.stem + ".fodt")
    f.write_text(src, encoding="utf-8")
    prof = tempfile.mkdtemp(prefix="lo-profile-")
    try:
        r = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{prof}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(d),
                str(f),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    if r.returncode != 0 or not pdf.exists():
        sys.exit(f"soffice failed on {f}: {r.stdout}{r.stderr}")


# ---------------------------------------------------------------- HTML
def html_inline(s, notes, used):
    out, pos = [], 0
    for m in NOTE.finditer(s):
        out.append(html_text(s[pos : m.start()]))
        n = m.group(1)
        used.append(n)
        out.append(f'<sup><a href="#fn{n}">{n}</a></sup>')
        pos = m.end()
    out.append(html_text(s[pos:]))
    return "".join(out)


def html_text(s):
    s = x(s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    s = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"<i>\1</i>", s)
    return s


def page(meta, units, notes):
    used = []
    lang = meta.get("lang", "en")
    b = [f"<h1>{x(meta.get('title', ''))}</h1>"]
    in_list = False
    for kind, text in units:
        if kind != "L" and in_list:
            b.append("</ul>")
            in_list = False
        if kind == "H1":
            b.append(f"<h2>{html_inline(text, notes, used)}</h2>")
        elif kind == "H2":
            b.append(f"<h3>{html_inline(text, notes, used)}</h3>")
        elif kind == "L":
            if not in_list:
                b.append("<ul>")
                in_list = True
            b.append(f"<li>{html_inline(text, notes, used)}</li>")
        else:
            b.append(f"<p>{html_inline(text, notes, used)}</p>")
    if in_list:
        b.append("</ul>")
    if notes:
        b.append('<hr><ol class="notes">')
        for n in sorted(notes, key=int):
            b.append(f'<li id="fn{n}">{html_text(notes[n])}</li>')
        b.append("</ol>")
    css = (
        "body{font-family:'Liberation Serif',serif;font-size:12pt;max-width:40em;margin:auto;}"
        "p{text-align:justify;hyphens:auto;margin:0 0 0.8em 0;line-height:1.4}"
        "h1{font-size:18pt}h2{font-size:14pt}h3{font-size:12pt;font-style:italic}"
        ".notes{font-size:10pt}"
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{x(meta.get('running_header', ''))}</title><style>{css}</style></head>"
        f"<body>{''.join(b)}</body></html>\n"
    )


def run_chromium(src, pdf):
    d = pdf.parent
    h = d / (pdf.stem + ".html")
    h.write_text(src, encoding="utf-8")
    prof = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        r = subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={prof}",
                f"--print-to-pdf={pdf}",
                h.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    if not pdf.exists():
        sys.exit(f"chromium failed on {h}: {r.stderr[-2000:]}")


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default=str(ROOT / "bench" / "layouts" / "src"))
    ap.add_argument("--work", default="/tmp/tanda-layouts")
    ap.add_argument("--only", default=None, help="one source name")
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    a = ap.parse_args()
    layouts = [l for l in a.layouts.split(",") if l]
    for md in sorted(Path(a.src).glob("*.md")):
        name = md.stem
        if a.only and name != a.only:
            continue
        meta, units, notes = parse(md)
        write_truth(name, meta, units, notes)
        work = Path(a.work) / name
        work.mkdir(parents=True, exist_ok=True)
        out = FIX / name
        out.mkdir(parents=True, exist_ok=True)
        for layout in layouts:
            pdf = work / f"{layout}.pdf"
            if pdf.exists():
                pdf.unlink()
            if layout.startswith("latex"):
                run_latex(latex(meta, units, notes, layout), pdf)
            elif layout.startswith("writer"):
                run_writer(fodt(meta, units, notes, layout), pdf)
            elif layout == "chromium":
                run_chromium(page(meta, units, notes), pdf)
            for ex, flags in EXTRACTORS.items():
                txt = out / f"{layout}.{ex}.txt"
                subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(pdf), str(txt)], check=True)
            print(f"{name} {layout}: {pdf}", flush=True)


if __name__ == "__main__":
    main()
