#!/usr/bin/env bash
# The pictures in docs/pictures/: one frame of the talking-head clip as input | mask | result,
# for each background mode. Reproduce with: scripts/make-pictures.sh (BACKDROP_BIN to reuse a binary).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$BACKDROP_ROOT/scripts/fetch-assets.sh" media
bin="${BACKDROP_BIN:-}"
[ -n "$bin" ] || bin="$(build_release)"
out="$BACKDROP_ROOT/docs/pictures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# The 120-frame carphone sequence at 352x288; frame 75 is mid-gesture, after the smoother warmed up.
clip="$work/clip.mp4"
ffmpeg -nostdin -loglevel error -i "$BACKDROP_MEDIA/carphone_pristine.mp4" -vf scale=352:288:flags=lanczos \
    -c:v libx264 -crf 14 -pix_fmt yuv420p "$clip"
# A picture made here for the image mode: soft gradients, no one's photograph.
ffmpeg -nostdin -loglevel error -f lavfi -i "gradients=s=704x576:c0=0x2a5d8f:c1=0xe8c39e:c2=0x7aa06b:n=3:seed=7" \
    -frames:v 1 "$work/picture.png"

frame=75
for mode in blur color:1E90FF "image:$work/picture.png"; do
    name="${mode%%:*}"
    "$bin" process "$clip" "$work/$name.y4m" --background "$mode" --mask "$work/$name-mask.y4m" >/dev/null
    ffmpeg -nostdin -loglevel error -y -i "$clip" -i "$work/$name-mask.y4m" -i "$work/$name.y4m" \
        -filter_complex "[0:v]select=eq(n\,$frame)[a];[1:v]select=eq(n\,$frame)[b];[2:v]select=eq(n\,$frame)[c];[a][b][c]hstack=3" \
        -frames:v 1 "$out/$name.png"
    say "wrote docs/pictures/$name.png"
done
