#!/usr/bin/env bash
# The selective codec against whole-frame H.264: runs `backdrop bench codec --json`, keeps its
# JSON in docs/codec/bench-codec.json, draws docs/codec/rate-quality.png (person PSNR against
# bit rate, one panel per clip) and docs/codec/lowrate.png (input | Backdrop | whole-frame at
# one low rate), and prints the BD-rate table as markdown for docs/codec.md.
#
# usage: scripts/bench-codec.sh [extra args for backdrop bench codec, e.g. more clips]
# env:   BACKDROP_BIN a backdrop binary to use instead of building the release one
#        BACKDROP_SCRATCH=DIR builds in DIR instead of .build
#        BENCH_PICTURE_RATE the rate of lowrate.png (default 150k)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$BACKDROP_ROOT/scripts/fetch-assets.sh" all
py="$("$BACKDROP_ROOT/scripts/python-env.sh")"
bin="${BACKDROP_BIN:-}"
[ -n "$bin" ] || bin="$(build_release)"

out="$BACKDROP_ROOT/docs/codec"
mkdir -p "$out"
say "measuring (a few minutes)"
"$bin" bench codec --json --picture "$out/lowrate.png" --picture-rate "${BENCH_PICTURE_RATE:-150k}" \
    --log-level error "$@" > "$out/bench-codec.json"
"$py" "$BACKDROP_ROOT/scripts/bench-codec-plot.py" "$out/bench-codec.json" "$out/rate-quality.png"
# The noisy room makes a big PNG: keep the middle 5/8 of each of the three panels (the person).
ffmpeg -nostdin -loglevel error -y -i "$out/lowrate.png" -filter_complex \
    "[0]split=3[a][b][c];[a]crop=iw*5/24:ih:iw*3/48:0[l];[b]crop=iw*5/24:ih:iw/3+iw*3/48:0[m];[c]crop=iw*5/24:ih:iw*2/3+iw*3/48:0[r];[l][m][r]hstack=3" \
    "$out/lowrate-crop.png"
mv -f "$out/lowrate-crop.png" "$out/lowrate.png"
say "wrote docs/codec/bench-codec.json, rate-quality.png and lowrate.png"
