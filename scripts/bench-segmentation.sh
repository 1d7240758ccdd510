#!/usr/bin/env bash
# Backdrop's segmentation speed beside MediaPipe's own Python solution, on the same model-size
# astronaut inputs: MediaPipe, then Backdrop, then MediaPipe again (the lower MediaPipe median is
# the one compared, the most favourable to MediaPipe). Prints a markdown table.
#
# It reads ONE JSON object from the stdout of `backdrop bench segmentation --json`, with, for
# <name> in landscape, portrait:
#   models.<name>[.threads.<T>].engine.median_ms                the model alone on XNNPACK
#   models.<name>[.threads.<T>].mask_step_model_size.median_ms  RGB in, mask out at model size:
#                                                               what MediaPipe's process() does
#   (and p90_ms beside each median, shown when present)
# The `threads.<T>` level is optional; T is BENCH_THREADS (default 1: MediaPipe's XNNPACK runs
# one thread on Linux, its CPU time per frame equals its wall time). If backdrop's output
# changes, change `keys` and `lookup` in the Python below, and only there.
#
# usage: scripts/bench-segmentation.sh [extra args for backdrop bench segmentation]
# env:   BENCH_FRAMES (default 300) timed frames per model for MediaPipe
#        BENCH_THREADS (default 1) which of backdrop's thread counts to compare
#        BENCH_CPU=N  pin both to CPU N with taskset
#        BACKDROP_BIN a backdrop binary to use instead of building the release one
#        BACKDROP_SCRATCH=DIR builds in DIR instead of .build
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$BACKDROP_ROOT/scripts/fetch-assets.sh" all
py="$("$BACKDROP_ROOT/scripts/python-env.sh")"

bin="${BACKDROP_BIN:-}"
[ -n "$bin" ] || bin="$(build_release)"

pin=()
[ -n "${BENCH_CPU:-}" ] && pin=(taskset -c "$BENCH_CPU")
frames="${BENCH_FRAMES:-300}"
mediapipe() {
    "${pin[@]}" "$py" "$BACKDROP_ROOT/scripts/bench-mediapipe.py" --frames "$frames" 2>/dev/null
}

say "timing MediaPipe"
mp1="$(mediapipe)"
say "timing Backdrop"
bd="$("${pin[@]}" "$bin" bench segmentation --json "$@")"
say "timing MediaPipe again"
mp2="$(mediapipe)"

BENCH_THREADS="${BENCH_THREADS:-1}" "$py" - "$mp1" "$bd" "$mp2" <<'EOF'
import json, os, sys

keys = {"engine": "engine", "mask step": "mask_step_model_size"}
mp_runs = [json.loads(sys.argv[1]), json.loads(sys.argv[3])]
try:
    bd = json.loads(sys.argv[2])
except json.JSONDecodeError as error:
    sys.exit(f"backdrop bench segmentation --json did not print one JSON object ({error}):\n{sys.argv[2][:500]}")


threads = os.environ["BENCH_THREADS"]


def get(document, *path):
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return None
        document = document[key]
    return document


def lookup(name, key, stat):
    model = get(bd, "models", name)
    if isinstance(model, dict) and "threads" in model:
        model = get(model, "threads", threads)
    return get(model, key, stat)


def ms(value):
    return "–" if value is None else f"{value:.2f}"


print("| model | MediaPipe process() median / p90 (ms) | "
      + " | ".join(f"Backdrop {label} median / p90 (ms) | {label} ÷ MediaPipe" for label in keys) + " |")
print("|---|---|" + "---|---|" * len(keys))
missing = []
for name in mp_runs[0]["models"]:
    best = min((run["models"][name] for run in mp_runs), key=lambda m: m["median_ms"])
    cells = [name, f"{ms(best['median_ms'])} / {ms(best['p90_ms'])}"]
    for label, key in keys.items():
        median = lookup(name, key, "median_ms")
        if median is None:
            missing.append(f"models.{name}[.threads.{threads}].{key}.median_ms")
        cells.append(f"{ms(median)} / {ms(lookup(name, key, 'p90_ms'))}")
        cells.append("–" if median is None else f"{median / best['median_ms']:.2f}")
    print("| " + " | ".join(cells) + " |")
first = mp_runs[0]
runs = ", ".join(name + " " + " and ".join(f"{run['models'][name]['median_ms']:.2f}" for run in mp_runs)
                 for name in first["models"])
frames = next(iter(first["models"].values()))["frames"]
print(f"\nMediaPipe {first['mediapipe']}, {frames} frames per model and run; its medians in the two "
      f"runs: {runs} ms. Backdrop with {threads} thread(s). A ratio below 1 means Backdrop is faster.")
if missing:
    sys.exit("backdrop's JSON lacks: " + ", ".join(missing))
EOF
