#!/usr/bin/env python3
"""Times MediaPipe's own Python selfie-segmentation solution, process() per frame.

Inputs are the model-size astronaut images of reference_inputs.py (so no resize happens inside
MediaPipe), each frame with fresh small noise so nothing can be cached between frames. Per
model: a warm-up phase, then the timed frames. Prints one JSON object on stdout:
  {"tool": "mediapipe", ..., "models": {"landscape": {"median_ms": ..., "p90_ms": ..., ...}, ...}}
cpu_ms is process CPU time per frame over all threads (cpu_ms / mean_ms > 1 means MediaPipe
used more than one core).

usage: PY="$(scripts/python-env.sh)"; "$PY" scripts/bench-mediapipe.py [--frames N] [--warmup N]
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's log lines off stderr

import numpy as np  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_inputs as ri  # noqa: E402


def bench(name, base, frames, warmup, noise, seed):
    import mediapipe as mp

    selection, width, height, _ = ri.MODELS_SPEC[name]
    rng = np.random.default_rng(seed)
    wide = base.astype(np.int16)

    def frame():
        if noise == 0:
            return base
        jitter = rng.integers(-noise, noise + 1, size=base.shape, dtype=np.int16)
        return np.clip(wide + jitter, 0, 255).astype(np.uint8)

    times = []
    with mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=selection) as seg:
        for _ in range(warmup):
            seg.process(frame())
        cpu = 0.0
        for _ in range(frames):
            image = frame()
            cpu_start, start = time.process_time(), time.perf_counter()
            result = seg.process(image)
            times.append((time.perf_counter() - start) * 1000.0)
            cpu += (time.process_time() - cpu_start) * 1000.0 / frames
            if result.segmentation_mask is None:
                raise SystemExit(f"{name}: MediaPipe returned no mask")
    ms = np.array(times)
    return {
        "width": width,
        "height": height,
        "frames": frames,
        "median_ms": round(float(np.median(ms)), 4),
        "p90_ms": round(float(np.percentile(ms, 90)), 4),
        "mean_ms": round(float(ms.mean()), 4),
        "min_ms": round(float(ms.min()), 4),
        "cpu_ms": round(cpu, 4),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=300, help="timed frames per model")
    parser.add_argument("--warmup", type=int, default=30, help="untimed frames per model first")
    parser.add_argument("--noise", type=int, default=2, help="per-frame noise amplitude (0: none)")
    parser.add_argument("--models", default="landscape,portrait")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.frames < 1 or args.warmup < 0 or args.noise < 0:
        parser.error("--frames must be >= 1, --warmup and --noise >= 0")

    import mediapipe as mp

    image, _ = ri.astronaut()
    models = {}
    for name in args.models.split(","):
        if name not in ri.MODELS_SPEC:
            parser.error(f"unknown model {name!r}; known: {', '.join(ri.MODELS_SPEC)}")
        _, row = ri.model_path(name)
        bundled = Path(mp.__file__).parent / "modules" / "selfie_segmentation" / row["file"]
        if ri.sha256(bundled.read_bytes()) != row["sha256"]:
            raise SystemExit(f"{bundled} differs from the model Backdrop uses")
        models[name] = bench(name, ri.model_input(image, name), args.frames, args.warmup,
                             args.noise, args.seed)
    print(json.dumps({
        "tool": "mediapipe",
        "what": "mp.solutions.selfie_segmentation process(), model-size RGB input",
        "mediapipe": mp.__version__,
        "warmup": args.warmup,
        "noise": args.noise,
        "models": models,
    }))


if __name__ == "__main__":
    main()
