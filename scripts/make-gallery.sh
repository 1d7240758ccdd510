#!/usr/bin/env bash
# Rebuilds docs/gallery/: real and synthetic rooms beside the background synthesized from their
# label maps and the composite, and a painted label map with two themes.
#
#   scripts/make-gallery.sh            # uses .build/release/backdrop (swift build -c release)
#   BACKDROP=path/to/backdrop scripts/make-gallery.sh
#
# Needs: ffmpeg, python3 with numpy (for the synthetic rooms), the carphone clip and the
# astronaut picture in $BACKDROP_MEDIA (default ~/.cache/backdrop/media; scripts/test.sh
# fetches them), and the segmentation model (scripts/test.sh fetches it too).
set -euo pipefail
cd "$(dirname "$0")/.."
BACKDROP=${BACKDROP:-.build/release/backdrop}
MEDIA=${BACKDROP_MEDIA:-$HOME/.cache/backdrop/media}
OUT=docs/gallery
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# Synthetic rooms, made here (no media of others): an office and a living room, 1280x720.
python3 - "$WORK" <<'PY'
import sys
import numpy as np
out = sys.argv[1]
rng = np.random.default_rng(7)
H, W = 720, 1280
yy, xx = np.mgrid[0:H, 0:W]

def save(name, img):
    img = np.clip(img, 0, 255).astype(np.uint8)
    with open(f"{out}/{name}.ppm", "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (W, H))
        f.write(img.tobytes())

def box(img, x0, y0, x1, y1, colour):
    img[y0:y1, x0:x1] = colour

# Office: lit wall, window with blinds, bookshelf, desk with wood grain, carpet.
img = np.zeros((H, W, 3))
img[:] = np.array([214, 206, 188]) * (1 - 0.12 * yy / H)[..., None]
box(img, 0, 540, W, H, [92, 88, 96])
img[540:] += rng.normal(0, 7, (H - 540, W, 1))
win = img[90:380, 110:480]
win[:] = [200, 225, 245]
win[(np.arange(290) % 14 < 4)] = [150, 160, 170]
box(img, 100, 80, 490, 90, [240, 240, 240]); box(img, 100, 380, 490, 392, [240, 240, 240])
box(img, 800, 70, 1160, 470, [70, 45, 30])
for shelf, top in enumerate([80, 210, 340]):
    x = 812
    while x < 1148:
        w = int(rng.integers(10, 26))
        box(img, x, top + int(rng.integers(10, 30)), min(x + w, 1148), top + 120, rng.integers(40, 200, 3))
        x += w + 2
    box(img, 800, top + 120, 1160, top + 130, [95, 65, 45])
desk = img[430:560, 380:900]
grain = 12 * np.sin(np.arange(130)[:, None] / 3.0 + 2 * np.sin(np.arange(520)[None, :] / 40.0))
desk[:] = np.array([150, 105, 65]) + grain[..., None]
img += rng.normal(0, 3, (H, W, 1))
save("office", img)

# Living room: green wall, sofa, framed picture, plant, tiled floor.
img = np.zeros((H, W, 3))
img[:] = np.array([120, 150, 130]) * (1 - 0.15 * np.abs(xx - W / 2) / W)[..., None]
floor = img[560:]
floor[:] = [185, 175, 160]
floor[(np.arange(160)[:, None] % 40 < 2) | (np.arange(W)[None, :] % 80 < 2)] = [120, 115, 105]
box(img, 250, 380, 1030, 580, [150, 60, 55])
img[380:580, 250:1030] += rng.normal(0, 9, (200, 780, 1))
box(img, 250, 330, 300, 580, [130, 50, 45]); box(img, 980, 330, 1030, 580, [130, 50, 45])
box(img, 500, 90, 780, 290, [40, 30, 25]); box(img, 515, 105, 765, 275, [220, 180, 90])
img[105:275, 515:765, 2] += 60 * np.sin(np.arange(250)[None, :] / 25.0)
for _ in range(40):
    cx, cy, r = rng.integers(1080, 1220), rng.integers(250, 520), rng.integers(15, 40)
    img[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = [40 + rng.integers(0, 40), 110 + rng.integers(0, 60), 40]
box(img, 1120, 520, 1180, 600, [170, 90, 50])
img += rng.normal(0, 3, (H, W, 1))
save("living-room", img)

# A painted label map in the built-in palette (64x36): wall, floor, window, shelf, desk, plant, art, sofa.
pal = {"wall": (0xC8, 0xC8, 0xC8), "floor": (0x8B, 0x45, 0x13), "window": (0x00, 0xBF, 0xFF), "wood": (0xDE, 0xB8, 0x87),
       "shelf": (0xFF, 0x8C, 0x00), "foliage": (0x22, 0x8B, 0x22), "accent": (0xFF, 0x14, 0x93), "fabric": (0x80, 0x00, 0x80)}
m = np.zeros((36, 64, 3), np.uint8); m[:] = pal["wall"]
m[26:] = pal["floor"]; m[5:19, 4:22] = pal["window"]; m[3:26, 44:60] = pal["shelf"]; m[20:27, 26:40] = pal["wood"]
m[13:20, 24:28] = pal["foliage"]; m[6:13, 30:38] = pal["accent"]; m[28:34, 2:14] = pal["fabric"]
with open(f"{out}/painted.ppm", "wb") as f:
    f.write(b"P6\n64 36\n255\n" + m.tobytes())
PY
for name in office living-room painted; do ffmpeg -loglevel error -y -i "$WORK/$name.ppm" "$WORK/$name.png"; done

# frame | labels | synthesized | composite, each scaled to 240 rows.
strip() {
    local dir=$1 out=$2
    ffmpeg -loglevel error -y -i "$dir/frame.png" -i "$dir/labels.png" -i "$dir/synthesized.png" -i "$dir/composite.png" \
        -filter_complex "[0]scale=-2:240[a];[1]scale=-2:240:flags=neighbor[b];[2]scale=-2:240[c];[3]scale=-2:240[d];[a][b][c][d]hstack=inputs=4" \
        "$out"
}
"$BACKDROP" analyze "$MEDIA/carphone_352x288.mp4" "$WORK/carphone" --frames 120 --level 1
strip "$WORK/carphone" "$OUT/carphone.png"
"$BACKDROP" analyze "$MEDIA/astronaut.png" "$WORK/astronaut" --level 1
strip "$WORK/astronaut" "$OUT/astronaut.png"
for name in office living-room; do
    "$BACKDROP" analyze "$WORK/$name.png" "$WORK/$name" --level 1
    strip "$WORK/$name" "$OUT/$name.png"
done

# The painted map (scaled up without smoothing) and two themes.
cp "$WORK/painted.png" "$OUT/painted-map.png"
"$BACKDROP" synthesize --labels "$WORK/painted.png" --theme office --size 640x360 "$WORK/painted-office.png"
"$BACKDROP" synthesize --labels "$WORK/painted.png" --theme beach --size 640x360 "$WORK/painted-beach.png"
ffmpeg -loglevel error -y -i "$WORK/painted.png" -i "$WORK/painted-office.png" -i "$WORK/painted-beach.png" \
    -filter_complex "[0]scale=640:360:flags=neighbor[a];[a][1][2]hstack=inputs=3,scale=-2:240" "$OUT/painted-themes.png"
ls -la "$OUT"
