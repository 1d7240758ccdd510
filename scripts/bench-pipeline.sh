#!/usr/bin/env bash
# The live pipeline at 1280x720 30 fps, frames replayed from memory (the source's decoding
# excluded), measured in one run per path:
#   virtual camera: segmentation, composite, conversion and write() into a v4l2loopback stand-in
#     (the LD_PRELOAD shim of the tests turns a device path into a FIFO; ffmpeg reads the far end);
#   RTP: the same plus H.264 encoding and sendto() to 127.0.0.1 (an ffmpeg receiver listens).
# usage: scripts/bench-pipeline.sh [frames]   (BACKDROP_BIN to reuse a binary)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$BACKDROP_ROOT/scripts/fetch-assets.sh" all
bin="${BACKDROP_BIN:-}"
[ -n "$bin" ] || bin="$(build_release)"
frames="${1:-600}"
work="$(mktemp -d)"
trap 'rm -rf "$work"; jobs -p | xargs -r kill 2>/dev/null || true' EXIT

cc -shared -fPIC -O1 -o "$work/shim.so" "$BACKDROP_ROOT/Tests/Support/fake_v4l2loopback.c" -ldl
mkfifo "$work/frames.fifo"
ffmpeg -nostdin -loglevel error -f rawvideo -pix_fmt yuyv422 -s 1280x720 -i "$work/frames.fifo" -f null - &
say "virtual camera path ($frames frames)"
LD_PRELOAD="$work/shim.so" BACKDROP_FAKE_V4L2_DEVICE=/dev/backdrop-bench-video10 \
    BACKDROP_FAKE_V4L2_FIFO="$work/frames.fifo" BACKDROP_FAKE_V4L2_CAPS=output \
    "$bin" bench pipeline --sink vcam:/dev/backdrop-bench-video10 --frames "$frames" --json > "$work/vcam.json"
wait

port=$((20000 + RANDOM % 20000 * 2))
say "RTP path ($frames frames) to 127.0.0.1:$port"
printf 'v=0\no=- 0 0 IN IP4 127.0.0.1\ns=bench\nc=IN IP4 127.0.0.1\nt=0 0\nm=video %d RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=1\n' "$port" > "$work/in.sdp"
ffmpeg -nostdin -loglevel error -protocol_whitelist file,udp,rtp -i "$work/in.sdp" -f null - &
receiver=$!
sleep 1
"$bin" bench pipeline --sink "rtp://127.0.0.1:$port" --frames "$frames" --json > "$work/rtp.json"
kill "$receiver" 2>/dev/null || true

python3 - "$work/vcam.json" "$work/rtp.json" <<'PY'
import json, sys
print("| path | process CPU (% of one core) | CPU ms/frame (process) | stage | latency median / p99 (ms) | stage CPU ms/frame | dropped |")
print("|---|---|---|---|---|---|---|")
for label, path in zip(["virtual camera", "RTP (H.264)"], sys.argv[1:]):
    r = json.load(open(path))
    for i, s in enumerate(r["stages"]):
        if s["name"] == "source":
            continue
        head = [label, f"{r['coresUsed'] * 100:.1f}", f"{r['processCPUMillisecondsPerFrame']:.2f}"] if s["name"] == "segmentation" else ["", "", ""]
        cpu = s["cpuSeconds"] * 1000 / max(1, s["framesIn"])
        lat = s["latency"]
        print("| " + " | ".join(head + [s["name"], f"{lat['median'] * 1000:.2f} / {lat['p99'] * 1000:.2f}", f"{cpu:.2f}", str(s["dropped"])]) + " |")
src = [s for s in json.load(open(sys.argv[1]))["stages"] if s["name"] == "source"][0]
print(f"\nLatency is from a frame's arrival at the source to write()/sendto() returning. Source drops (vcam run): {src['dropped']}.")
PY
