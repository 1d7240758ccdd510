#!/usr/bin/env bash
# Soak test of `backdrop run` (not run in CI): a synthetic 720p30 camera (testsrc2 with sensor-like
# noise, paced in real time) for 30 minutes; samples resident memory, frame rate, drops and sink
# latency every 10 s; then SIGTERM and the time the stop takes. Prints a markdown summary for
# docs/benchmarks.md and keeps the raw samples.
#
# usage: scripts/soak.sh [MINUTES]        (default 30)
#   BACKDROP_BIN      the binary (default: a release build of this checkout)
#   SOAK_SIZE, SOAK_RATE   1280x720, 30
#   SOAK_BACKGROUND   blur (the costliest); color:RRGGBB or image:PATH
#   SOAK_SINK         default: raw y4m into /dev/null (like the virtual camera: raw frames out,
#                     no disk); give a .mkv path to include x264 encoding
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

minutes="${1:-30}"
size="${SOAK_SIZE:-1280x720}"
rate="${SOAK_RATE:-30}"
background="${SOAK_BACKGROUND:-blur}"
binary="${BACKDROP_BIN:-}"
[ -n "$binary" ] || binary="$(build_release)"
dir="$(mktemp -d /tmp/backdrop-soak.XXXXXX)"
sink="${SOAK_SINK:-$dir/null.y4m}"
[ -n "${SOAK_SINK:-}" ] || ln -s /dev/null "$dir/null.y4m"
socket="$dir/control.sock"
samples="$dir/samples.tsv"

say "soak: $minutes min, $size at $rate fps, background $background, sink $sink (files in $dir)"
"$binary" run --source "lavfi:testsrc2=size=$size:rate=$rate,noise=alls=12:allf=t" --realtime \
    --sink "$sink" --background "$background" --control-socket "$socket" --log-level notice \
    2>"$dir/daemon.log" &
pid=$!
trap 'kill -KILL "$pid" 2>/dev/null || true' EXIT

# One sample: seconds, RSS in KiB, then from `backdrop status --json`: fps, frames out of the
# compositor, frames dropped at the source, frames dropped before the sinks, sink p99 latency (ms).
sample() {
    local rss status
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
    status="$("$binary" status --json --socket "$socket" 2>/dev/null)" || return 1
    python3 -c '
import json, sys
s = json.loads(sys.argv[3])
stages = {x["name"]: x for x in s["stages"]}
sinks = [x for n, x in stages.items() if n.startswith("sink ")]
print("\t".join(str(v) for v in [sys.argv[1], sys.argv[2], round(s["fps"], 2),
    stages["compositing"]["framesOut"], stages["source"]["dropped"], sum(x["dropped"] for x in sinks),
    round(max(x["latency"]["p99"] for x in sinks) * 1000, 1)]))
' "$1" "$rss" "$status"
}

for _ in $(seq 1 100); do [ -S "$socket" ] && break; sleep 0.1; done
printf 'seconds\trss_kib\tfps\tframes\tdropped_source\tdropped_sinks\tsink_p99_ms\n' > "$samples"
start=$(date +%s)
end=$((start + minutes * 60))
while [ "$(date +%s)" -lt "$end" ]; do
    kill -0 "$pid" 2>/dev/null || die "the daemon died; see $dir/daemon.log"
    sample "$(( $(date +%s) - start ))" >> "$samples" || true
    sleep 10
done

stop_start=$(date +%s.%N)
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
stop_seconds=$(python3 -c "print($(date +%s.%N) - $stop_start)")
trap - EXIT

python3 - "$samples" "$minutes" "$size" "$rate" "$background" "$stop_seconds" "$status" <<'PY'
import csv, sys
path, minutes, size, rate, background, stop, status = sys.argv[1:]
rows = list(csv.DictReader(open(path), delimiter="\t"))
if len(rows) < 3:
    sys.exit("too few samples")
# Warm-up: the first 10% of the run (at least 60 s): buffers, encoder and caches settle.
warm = next((r for r in rows if float(r["seconds"]) >= max(60, 0.1 * float(rows[-1]["seconds"]))), rows[len(rows) // 2])
last = rows[-1]
rss_warm, rss_end = int(warm["rss_kib"]), int(last["rss_kib"])
rss_max = max(int(r["rss_kib"]) for r in rows)
growth = 100.0 * (rss_end - rss_warm) / rss_warm
fps = [float(r["fps"]) for r in rows if float(r["seconds"]) >= float(warm["seconds"])]
p99 = [float(r["sink_p99_ms"]) for r in rows if float(r["seconds"]) >= float(warm["seconds"])]
print(f"\n| soak: {minutes} min, {size} at {rate} fps, background {background} | |")
print("|---|---|")
print(f"| resident memory after warm-up ({warm['seconds']} s) / at the end / peak | {rss_warm/1024:.1f} / {rss_end/1024:.1f} / {rss_max/1024:.1f} MiB |")
half = next(r for r in rows if float(r["seconds"]) >= float(last["seconds"]) / 2)
print(f"| growth after warm-up | {growth:+.2f} % (target under 5 %) |")
print(f"| growth over the second half (a leak grows steadily; a one-off step does not) | "
      f"{100.0 * (rss_end - int(half['rss_kib'])) / int(half['rss_kib']):+.2f} % |")
print(f"| frames composited | {last['frames']} |")
print(f"| dropped at the source / before the sinks | {last['dropped_source']} / {last['dropped_sinks']} |")
print(f"| output rate min / mean | {min(fps):.1f} / {sum(fps)/len(fps):.1f} fps |")
print(f"| sink latency p99, first / last sample after warm-up | {p99[0]:.1f} / {p99[-1]:.1f} ms (no backlog: it does not grow) |")
print(f"| stop after SIGTERM | {float(stop):.2f} s, exit status {status} |")
PY
say "samples: $samples; log: $dir/daemon.log"
