#!/usr/bin/env python3
"""Validate codebooks exported by tanda against codebooks/codebook.schema.json,
and check that the schema rejects a typo. Needs `pip install jsonschema`."""
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("schema check: the jsonschema package is missing (pip install jsonschema)", file=sys.stderr)
    sys.exit(2)

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
tanda = os.environ.get("TANDA", os.path.join(root, "target", "release", "tanda"))
schema = json.load(open(os.path.join(root, "codebooks", "codebook.schema.json")))
sources = ["builtin", "codebooks/examples/indonesian-demo.toml", "tests/fixtures/liwc/small.dicx"]
for src in sources:
    out = subprocess.run([tanda, "codebook", "export", src, "--format", "json"],
                         cwd=root, capture_output=True, check=True).stdout
    jsonschema.validate(json.loads(out), schema)
bad = {"name": "x", "category": [{"id": "a", "entires": ["report"]}]}
try:
    jsonschema.validate(bad, schema)
    print("schema check: a codebook with a typo passed the schema", file=sys.stderr)
    sys.exit(1)
except jsonschema.ValidationError:
    pass
print(f"schema check: {len(sources)} exported codebooks valid, typo rejected")
