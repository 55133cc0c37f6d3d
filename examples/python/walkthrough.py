# %% [markdown]
# # tanda from Python: a walkthrough on the shipped corpus
#
# Notebook-style script (cells marked `# %%`; open it in Jupyter with jupytext, in VS Code,
# or run it whole with `python3 examples/python/walkthrough.py` from the repository root).
# Install the package first: see "Python" in the README.

# %%
import tanda

res = tanda.analyze("corpus/", by=["source_type"])
res  # documents, passages, words, codebook and unit

# %% [markdown]
# ## Frequencies: the same table `tanda analyze corpus/` prints
# Whole-corpus rows have `by == ""`; the `source_type` groups follow.

# %%
whole = res.frequencies[res.frequencies["by"] == ""]
print(whole[["category", "passages", "passages_coded", "passages_pct", "hits_per_1000_words"]].head(6))

# %%
by_source = res.frequencies[res.frequencies["by"] == "source_type"]
print(by_source.pivot(index="category", columns="group", values="passages_pct").head(6))

# %% [markdown]
# ## Which passages were coded, and why
# A category's own column holds the codebook's decision (1/0); `ID:hits` its counted hits.
# Every hit is a row of `res.hits`, with character offsets into the passage.

# %%
info = res.coded("information")
print(len(info), "passages coded for information politics")
first = info.iloc[0]
print(first["passage_id"], "—", first["text"][:120])
print(res.hits[res.hits["passage_id"] == first["passage_id"]][["category", "entry", "matched", "start", "end"]].head(10))

# %%
# The entries that fired most for a category: where to look when editing the codebook.
print(res.hits[res.hits["category"] == "information"].groupby("entry").size().nlargest(8))

# %% [markdown]
# ## One text at a time

# %%
cb = tanda.Codebook.load("builtin")
r = cb.code("ECPAT's 2011 report documented hundreds of cases and urged the ministry to act.")
print({c: on for c, on in r["coded"].items() if on})
for h in r["hits"]:
    print(f'{h["category"]:<24} {h["entry"]:<20} {h["matched"]!r} at {h["start"]}–{h["end"]}')

# %% [markdown]
# ## Traceability
# Every result records the codebook's SHA-256 and version and the counting policy.

# %%
print(res.header["codebook_name"], res.header["codebook_version"], res.header["codebook_sha256"][:12])
print("policy", res.header["policy_id"])
