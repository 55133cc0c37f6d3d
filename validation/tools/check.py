"""Sanity checks and counts for the validation set (reads the written files)."""
import collections, csv, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")
CATS = ["information", "symbolic", "leverage", "leverage.material", "leverage.moral", "accountability"]
ok = True

def fail(msg):
    global ok
    ok = False
    print("FAIL:", msg)

txts = sorted(f for f in os.listdir(CORPUS) if f.endswith(".txt"))
with open(os.path.join(CORPUS, "metadata.csv"), encoding="utf-8", newline="") as fh:
    r = csv.DictReader(fh)
    if r.fieldnames != ["path", "language", "register", "half", "synthetic", "note"]:
        fail(f"metadata header {r.fieldnames}")
    meta = {row["path"]: row for row in r}
with open(os.path.join(ROOT, "reference.csv"), encoding="utf-8", newline="") as fh:
    r = csv.DictReader(fh)
    if r.fieldnames != ["passage_id"] + CATS:
        fail(f"reference header {r.fieldnames}")
    ref_rows = list(r)
ids = [row["passage_id"] for row in ref_rows]
if ids != sorted(ids):
    fail("reference not sorted")
ref = {row["passage_id"][:-4]: {c: int(row[c]) for c in CATS} for row in ref_rows if row["passage_id"].endswith("#doc")}
if len(ref) != len(ref_rows):
    fail("bad passage_id or duplicate")

if set(txts) != set(meta):
    fail(f"txt vs metadata: {set(txts) ^ set(meta)}")
if set(txts) != set(ref):
    fail(f"txt vs reference: {set(txts) ^ set(ref)}")

for f in txts:
    raw = open(os.path.join(CORPUS, f), "rb").read()
    text = raw.decode("utf-8")
    if not text.endswith("\n") or text.count("\n") != 1:
        fail(f"{f}: not a single line ending with newline")
    n = len(text.split())
    if not 40 <= n <= 120:
        fail(f"{f}: {n} words")
    m = meta[f]
    if m["language"] not in ("en", "id") or m["register"] not in ("ngo_report", "un_report", "statute", "news", "academic") \
            or m["half"] not in ("tune", "report") or m["synthetic"] != "yes":
        fail(f"{f}: bad metadata {m}")
    v = ref[f]
    if any(x not in (0, 1) for x in v.values()):
        fail(f"{f}: non-binary")
    if (v["leverage.material"] or v["leverage.moral"]) and not v["leverage"]:
        fail(f"{f}: leverage child without parent")

N = len(txts)
lang = collections.Counter(meta[f]["language"] for f in txts)
print(f"passages: {N}; en {lang['en']}, id {lang['id']} ({100*lang['id']/N:.1f}% Indonesian)")
if lang["id"] / N < 0.40:
    fail("Indonesian share below 40%")
if N < 160:
    fail("fewer than 160 passages")

halves = collections.Counter((meta[f]["half"], meta[f]["language"]) for f in txts)
for h in ("tune", "report"):
    tot = halves[(h, "en")] + halves[(h, "id")]
    print(f"half {h}: {tot} (en {halves[(h,'en')]}, id {halves[(h,'id')]}, id share {100*halves[(h,'id')]/tot:.1f}%)")
if abs((halves[("tune","en")]+halves[("tune","id")]) - (halves[("report","en")]+halves[("report","id")])) > 2:
    fail("halves unbalanced")
for l in ("en", "id"):
    if abs(halves[("tune", l)] - halves[("report", l)]) > 1:
        fail(f"halves unbalanced within {l}")

print("\npositives per category:")
print(f"{'category':20s} {'all':>4s} {'en':>4s} {'id':>4s} {'tune':>5s} {'report':>6s} {'neg':>4s}")
for c in CATS:
    pos = [f for f in txts if ref[f][c]]
    cnt = collections.Counter(meta[f]["language"] for f in pos)
    hc = collections.Counter(meta[f]["half"] for f in pos)
    print(f"{c:20s} {len(pos):4d} {cnt['en']:4d} {cnt['id']:4d} {hc['tune']:5d} {hc['report']:6d} {N-len(pos):4d}")
    if len(pos) < 15:
        fail(f"{c}: fewer than 15 positives")
    if N - len(pos) < 20:
        fail(f"{c}: fewer than 20 negatives")

zero = [f for f in txts if not any(ref[f].values())]
ntac = collections.Counter(sum(ref[f][c] for c in ["information", "symbolic", "leverage", "accountability"]) for f in txts)
print(f"\nall-zero passages: {len(zero)} ({100*len(zero)/N:.1f}%), en {sum(meta[f]['language']=='en' for f in zero)}, id {sum(meta[f]['language']=='id' for f in zero)}")
print("passages by number of top-level tactics:", dict(sorted(ntac.items())))
print("registers:", dict(collections.Counter(meta[f]["register"] for f in txts)))
print("\nOK" if ok else "\nCHECKS FAILED")
sys.exit(0 if ok else 1)
