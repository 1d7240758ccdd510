#!/usr/bin/env bash
# Set up, build the release binary, and run `backdrop process` on a short talking-head clip
# (the cached carphone sequence scaled to 352x288). The result goes to ./backdrop-demo.mp4.
# Extra arguments go to `backdrop process`; without a --background of yours, it is blurred.
# BACKDROP_DEMO_INPUT / BACKDROP_DEMO_OUTPUT override the input clip and the result path;
# BACKDROP_SCRATCH=DIR builds in DIR instead of .build.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

out="$(realpath -m "${BACKDROP_DEMO_OUTPUT:-backdrop-demo.mp4}")"
"$BACKDROP_ROOT/scripts/setup.sh"

# QCIF 176x144, 120 frames at 29.97 fps, doubled to CIF: exact aspect, 4 seconds.
clip="$BACKDROP_MEDIA/carphone_352x288.mp4"
if [ -n "${BACKDROP_DEMO_INPUT:-}" ]; then
    clip="$(realpath "$BACKDROP_DEMO_INPUT")"
elif [ ! -s "$clip" ]; then
    say "making $clip"
    ffmpeg -nostdin -loglevel error -y -i "$BACKDROP_MEDIA/carphone_pristine.mp4" \
        -vf scale=352:288:flags=lanczos -c:v libx264 -preset veryfast -crf 16 \
        -pix_fmt yuv420p -an "$clip.partial.mp4"
    mv -f "$clip.partial.mp4" "$clip"
fi

bin="$(build_release)"

args=("$@")
[[ " ${args[*]-} " == *" --background"* ]] || args+=(--background blur)
"$bin" process "$clip" "$out" "${args[@]}"
echo "demo written to $out"
