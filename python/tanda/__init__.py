"""tanda: codebook-based content analysis of text corpora, from Python.

The coding is done by the tanda library (Rust), the same code the ``tanda``
command line runs; the tables come back as pandas DataFrames holding what
the command line's files hold, column for column:

>>> import tanda
>>> res = tanda.analyze("corpus/", by=["source_type"])
>>> res.frequencies.query("by == ''")[["category", "passages_coded"]]
>>> res.passages[res.passages["information"] == 1]      # passages coded for it
>>> res.hits.groupby("entry").size()                     # which entries fired

>>> cb = tanda.Codebook.load("builtin")
>>> cb.code("ECPAT's report documented 300 cases.")["coded"]["information"]

Errors are raised as :class:`TandaError` with the command line's message
(naming the file, line and what to do) and its exit code.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import dataclass, field
from typing import Optional, Sequence

import pandas as pd

from ._tanda import Codebook, TandaError, __version__, policy
from . import _tanda

__all__ = ["analyze", "Results", "Codebook", "TandaError", "policy", "__version__"]


def _frame(data: Optional[bytes]) -> pd.DataFrame:
    """A CSV written by tanda as a DataFrame: ids, metadata and texts stay
    strings (a year column "2011" stays "2011", an empty cell stays ""),
    counts and rates become numbers."""
    if data is None:
        return pd.DataFrame()
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    for column in frame.columns:
        converted = pd.to_numeric(frame[column], errors="coerce")
        # Only columns that are numbers in every row (and not empty) turn numeric.
        if len(frame) and converted.notna().all() and (frame[column] != "").all():
            frame[column] = converted
    return frame


@dataclass
class Results:
    """One analysis: the tables ``tanda analyze --out`` writes, as DataFrames.

    - ``passages``: passages.csv — one row per passage: ids, metadata, words, each
      category's decision (1/0) under its own id, its hits as ``ID:hits``, text.
    - ``hits``: hits.csv — one row per match: category, entry, matched text,
      character offsets in the passage, line.
    - ``documents``: documents.csv — one row per document with its counts.
    - ``frequencies``: frequencies.csv — the tidy frequency table (whole corpus
      rows have ``by == ""``; groups of ``by`` follow).
    - ``crosstab_tests``: crosstab-tests.csv (empty without ``by``).
    - ``header``: what run.json records of the run: codebook name, version and
      SHA-256, unit, counting policy, corpus totals, skipped files.
    """

    passages: pd.DataFrame
    hits: pd.DataFrame
    documents: pd.DataFrame
    frequencies: pd.DataFrame
    crosstab_tests: pd.DataFrame
    header: dict
    categories: list = field(default_factory=list)
    fields: list = field(default_factory=list)

    def coded(self, category: str) -> pd.DataFrame:
        """The passages coded for ``category`` (the codebook's decision)."""
        if category not in self.categories:
            raise TandaError(
                f"unknown category `{category}`; the codebook has: {', '.join(self.categories)}",
                2,
            )
        return self.passages[self.passages[category] == 1]

    def __repr__(self) -> str:
        h = self.header
        return (
            f"<tanda.Results {h['documents']} documents, {h['passages']} passages, "
            f"{h['words']} words; codebook {h['codebook_name']} {h['codebook_version']}, "
            f"unit {h['unit']}>"
        )


def analyze(
    path,
    codebook: Optional[str] = "builtin",
    unit: str = "paragraph",
    by: Sequence[str] = (),
    *,
    min_words: int = 0,
    measure: str = "passages",
    bin: Optional[int] = None,
    strict: bool = False,
) -> Results:
    """Code every passage of a corpus and tally it, as ``tanda analyze`` does.

    ``path``: a corpus folder (.txt, .md, .pdf, .docx, .html, …, with an
    optional metadata.csv) or a spreadsheet with a document per row.
    ``codebook``: a codebook file (TOML, JSON, .dic, .dicx) or ``"builtin"``.
    ``unit``: ``document``, ``paragraph``, ``sentence``, ``article`` or
    ``window:N``. ``by``: metadata variables to crosstab by. Warnings (skipped
    files, codebook warnings) are issued with :func:`warnings.warn`;
    ``strict=True`` makes a skipped file an error.
    """
    cb = None if codebook in (None, "builtin") else str(codebook)
    raw = _tanda.analyze(
        str(path),
        cb,
        unit,
        list(by),
        min_words,
        measure,
        bin,
        strict,
    )
    for message in raw["warnings"]:
        warnings.warn(message, stacklevel=2)
    meta = json.loads(raw["header"])
    header = dict(meta["header"])
    header["hits"] = meta["hits"]
    return Results(
        passages=_frame(raw["passages"]),
        hits=_frame(raw["hits"]),
        documents=_frame(raw["documents"]),
        frequencies=_frame(raw["frequencies"]),
        crosstab_tests=_frame(raw["crosstab_tests"]),
        header=header,
        categories=meta["categories"],
        fields=meta["fields"],
    )
