"""The Python package against the command line: same corpus, same codebook,
same tables. Run from the repository root after building the wheel:

    python3 -m pytest python/tests

The CLI binary is $TANDA_BIN, or target/release/tanda (built by
`cargo build --release`)."""

import os
import pathlib
import subprocess

import pandas as pd
import pytest

import tanda

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def cli():
    binary = pathlib.Path(os.environ.get("TANDA_BIN", ROOT / "target" / "release" / "tanda"))
    if not binary.exists():
        pytest.skip(f"{binary} not built: run cargo build --release first")
    return binary


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "results"
    subprocess.run(
        [str(cli()), "analyze", str(CORPUS), "--by", "source_type", "--out", str(out), "-q"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


@pytest.fixture(scope="module")
def py_results():
    return tanda.analyze(CORPUS, by=["source_type"])


@pytest.mark.parametrize(
    "table,file",
    [
        ("passages", "passages.csv"),
        ("hits", "hits.csv"),
        ("documents", "documents.csv"),
        ("frequencies", "frequencies.csv"),
        ("crosstab_tests", "crosstab-tests.csv"),
    ],
)
def test_tables_equal_the_cli_files(cli_results, py_results, table, file):
    expected = tanda._frame((cli_results / file).read_bytes())
    got = getattr(py_results, table)
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, expected)


def test_header_matches_run_json(cli_results, py_results):
    import json

    run = json.loads((cli_results / "run.json").read_text())
    h = py_results.header
    assert h["codebook_sha256"] == run["codebook"]["sha256"]
    assert h["codebook_version"] == run["codebook"]["version"]
    assert h["policy_id"] == run["counting_policy"]["id"]
    assert h["unit"] == run["unit"] == "paragraph"
    assert (h["documents"], h["passages"], h["words"], h["hits"]) == (
        run["counts"]["documents"],
        run["counts"]["passages"],
        run["counts"]["words"],
        run["counts"]["hits"],
    )
    assert py_results.fields == run["corpus"]["fields"]


def test_counts_add_up_within_the_results(py_results):
    # Independent of the CLI: the tidy table's whole-corpus rows are the
    # column sums and counts of the passage table.
    p = py_results.passages
    whole = py_results.frequencies[py_results.frequencies["by"] == ""].set_index("category")
    for cat in py_results.categories:
        assert whole.loc[cat, "passages_coded"] == (p[cat] == 1).sum()
        assert whole.loc[cat, "hits"] == p[f"{cat}:hits"].sum()
    assert whole["passages"].iloc[0] == len(p)
    assert py_results.header["words"] == p["words"].sum()
    # Every hit row points at a passage of the passage table.
    assert set(py_results.hits["passage_id"]) <= set(p["passage_id"])
    assert py_results.coded("information").shape[0] == whole.loc["information", "passages_coded"]


def test_unit_changes_the_passages():
    doc = tanda.analyze(CORPUS, unit="document")
    assert (doc.passages["passage_id"].str.endswith("#doc")).all()
    assert len(doc.passages) == doc.header["documents"]


CODEBOOK = """name = "two"
version = "1"
[[category]]
id = "ecpat"
label = "ECPAT named"
entries = ["ecpat"]
[[category]]
id = "law"
label = "Law named"
entries = ["law"]
"""


def test_codebook_codes_a_text_as_worked_by_hand(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(CODEBOOK)
    cb = tanda.Codebook.load(path)
    assert cb.name == "two" and cb.version == "1"
    assert cb.categories == ["ecpat", "law"]
    assert len(cb.sha256) == 64
    r = cb.code("ECPAT and ECPAT, no law")
    assert r["words"] == 5
    assert r["coded"] == {"ecpat": True, "law": True}
    assert r["counts"] == {"ecpat": 2, "law": 1}
    spans = [(h["category"], h["matched"], h["start"], h["end"]) for h in r["hits"]]
    assert spans == [("ecpat", "ECPAT", 0, 5), ("ecpat", "ECPAT", 10, 15), ("law", "law", 20, 23)]
    # Offsets are characters, not bytes.
    r = cb.code("Ümlaut ecpat")
    assert [(h["start"], h["end"]) for h in r["hits"]] == [(7, 12)]
    assert cb.code("nothing here")["coded"] == {"ecpat": False, "law": False}


def test_builtin_codebook_loads():
    cb = tanda.Codebook.load("builtin")
    assert "information" in cb.categories
    assert cb.sha256 == tanda.analyze(CORPUS, unit="document").header["codebook_sha256"]


def test_errors_carry_the_cli_message_and_exit_code(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[[category]\nid = "a"\n')
    with pytest.raises(tanda.TandaError) as e:
        tanda.Codebook.load(bad)
    message, code = e.value.args
    assert code == 3
    assert "bad.toml:2:" in message
    with pytest.raises(tanda.TandaError) as e:
        tanda.analyze(tmp_path / "no-such-corpus")
    assert e.value.args[1] == 4
    with pytest.raises(tanda.TandaError) as e:
        tanda.analyze(CORPUS, by=["no_such_field"])
    assert e.value.args[1] == 2
    assert "no_such_field" in e.value.args[0]
    with pytest.raises(tanda.TandaError) as e:
        tanda.analyze(CORPUS, unit="chapter")
    assert e.value.args[1] == 2


def test_skipped_files_warn_and_strict_fails(tmp_path):
    (tmp_path / "a.txt").write_text("ECPAT met the minister.\n")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    with pytest.warns(UserWarning, match="broken.docx"):
        r = tanda.analyze(tmp_path)
    assert r.header["documents"] == 1
    with pytest.raises(tanda.TandaError) as e:
        tanda.analyze(tmp_path, strict=True)
    assert e.value.args[1] == 5
