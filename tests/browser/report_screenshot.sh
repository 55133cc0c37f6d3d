#!/usr/bin/env bash
# Look at report.html as a person would: render it in headless Chromium
# (Debian's chromium package), check the screenshot is not blank and the
# charts are on the page. Run by .ci/run; usable alone:
#   tests/browser/report_screenshot.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/../.."
out_png="${1:-$(mktemp -d)/report.png}"
if ! command -v chromium >/dev/null 2>&1; then
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
fi
T="${TANDA:-target/release/tanda}"
res=$(mktemp -d)
"$T" analyze corpus --by source_type --quiet --out "$res" >/dev/null
profile=$(mktemp -d)
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1150,2600 \
  --screenshot="$out_png" "file://$res/report.html" >/dev/null 2>&1
python3 - "$out_png" "$res/report.html" <<'PY'
import sys, zlib, struct
png, html = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
data = open(png, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
# Decode the PNG (8-bit RGB/RGBA, no interlace) to count colours.
pos, idat, w, h, ct = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": w, h, depth, ct = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT": idat += body
raw = zlib.decompress(idat); bpp = 4 if ct == 6 else 3; stride = w * bpp
colours, prev = set(), bytearray(stride)
for y in range(h):
    f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, w, 4): colours.add(bytes(line[x * bpp:x * bpp + 3]))
non_white = sum(1 for c in colours if c != b"\xff\xff\xff")
assert non_white > 200, f"screenshot looks blank ({non_white} colours)"
for el in ['id="chart-categories"', 'id="chart-stacked"', 'id="chart-years"', 'id="chart-heatmap"', "<mark "]:
    assert el in html, f"{el} missing from report.html"
print(f"report screenshot: {w}x{h}, {len(colours)} colours sampled, all four charts and highlighted passages present")
PY
