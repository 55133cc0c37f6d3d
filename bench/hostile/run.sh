#!/usr/bin/env bash
# Issue 19: what hostile or huge inputs cost, case by case: exit code, seconds,
# peak RSS of tanda and of its largest child (the PDF reader). Not run in CI
# (it writes ~250 MB of inputs and takes about a minute).
#
#   bench/hostile/run.sh [path/to/tanda]
#
# Inputs are generated under $TMPDIR/tanda-hostile; the sample corpus supplies
# ordinary text, repeated.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
T=${1:-$root/target/release/tanda}
W=${TMPDIR:-/tmp}/tanda-hostile
rm -rf "$W" && mkdir -p "$W"
python3 - "$root/corpus" "$W" <<'PY'
import glob, os, sys, zlib
corpus, w = sys.argv[1], sys.argv[2]
src = "\n\n".join(open(f, errors="ignore").read()
                  for f in sorted(glob.glob(corpus + "/**/*.txt", recursive=True)))
paras = [p for p in src.split("\n\n") if p.strip()]
def text(n):
    out, size, i = [], 0, 0
    while size < n:
        p = paras[i % len(paras)]; out.append(p); size += len(p.encode()) + 2; i += 1
    return "\n\n".join(out)
def put(d, name, data):
    os.makedirs(f"{w}/{d}", exist_ok=True)
    open(f"{w}/{d}/{name}", "wb").write(data if isinstance(data, bytes) else data.encode())
put("txt-55mb", "a.txt", text(55 << 20))
put("txt-15mb", "a.txt", text(15 << 20))
put("oneline-15mb", "a.txt", text(15 << 20).replace("\n", " "))
one = text(15 << 20).replace("\n", " ")
put("two-oneline-15mb", "a.txt", one); put("two-oneline-15mb", "b.txt", one)
# A PDF whose one content stream inflates to 2 GB (about 2 MB on disk).
c = zlib.compressobj(9); parts = [c.compress(b" " * (1 << 20)) for _ in range(2048)]
parts.append(c.compress(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET")); parts.append(c.flush())
data = b"".join(parts)
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
out, offs = b"%PDF-1.4\n", []
for i, o in enumerate(objs):
    offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
put("pdf-bomb", "bomb.pdf", out)
put("pdf-bomb", "ok.txt", "The ministry published a report.\n")
five = text(5 << 20)
for n in (1, 2, 4):
    for k in range(n):
        put(f"diff-{5 * n}mb", f"part{k}.txt", five)
PY
for n in 5000 10000 20000; do mkdir -p "$W/pdf-$n-pages"; python3 "$here/pdf_pages.py" $n "$W/pdf-$n-pages/doc.pdf"; done
run() { printf '%-48s ' "$*"; python3 "$here/peak.py" "$T" "$@" 2>/dev/null; }
cd "$W"
echo "tanda: $T ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) cores"
run analyze txt-55mb --no-cache
run analyze txt-55mb --no-cache --max-doc-mb 64
run analyze txt-15mb --no-cache
run analyze oneline-15mb --no-cache
run analyze two-oneline-15mb --no-cache --threads 2
run analyze two-oneline-15mb --no-cache --threads 2 --out out --force
run analyze pdf-bomb --no-cache
for n in 5000 10000 20000; do run analyze pdf-$n-pages --no-cache; done
# A codebook edit to compare against: the entry "data" removed.
sed 's/^  "data", { term/  { term/' "$root/codebooks/tan.toml" > "$W/edited.toml"
cmp -s "$root/codebooks/tan.toml" "$W/edited.toml" && { echo "edit did not apply" >&2; exit 1; }
for n in 5 10 20; do run diff builtin edited.toml --corpus diff-${n}mb --quiet; done
for n in 5000 10000 20000; do run diff builtin edited.toml --corpus pdf-$n-pages --quiet; done
