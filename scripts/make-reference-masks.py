#!/usr/bin/env python3
"""Writes MediaPipe's own segmentation of the astronaut inputs as test fixtures.

For each selfie-segmentation model, builds the model-size input from astronaut.png (see
reference_inputs.py), runs `mp.solutions.selfie_segmentation.SelfieSegmentation(...).process()`
and writes the mask to Tests/InferenceTests/Fixtures/astronaut_<model>_mask.u16 as raw
little-endian uint16, row-major, value = round(clamp(mask, 0, 1) * 65535), plus
astronaut_masks.json describing both (sizes, hashes of the inputs, versions, statistics).
It also runs the raw model with ai-edge-litert on the same input and reports how far MediaPipe's
output is from the model's own.

usage: PY="$(scripts/python-env.sh)"; "$PY" scripts/make-reference-masks.py [--preview DIR]
"""

import argparse
import json
import platform
import sys
from pathlib import Path

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_inputs as ri  # noqa: E402

FIXTURES = ri.ROOT / "Tests" / "InferenceTests" / "Fixtures"
ENCODING = "uint16 little-endian, row-major, value = round(clamp(mask, 0, 1) * 65535)"


def mediapipe_mask(rgb, model_selection):
    """MediaPipe's solution output for one image; checked to be stateless across calls."""
    import mediapipe as mp

    with mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=model_selection) as seg:
        first = np.array(seg.process(rgb).segmentation_mask, dtype=np.float32)
        again = np.array(seg.process(rgb).segmentation_mask, dtype=np.float32)
    if not np.array_equal(first, again):
        raise SystemExit("MediaPipe gave two different masks for the same image: is there smoothing?")
    return first


def raw_model_mask(model, rgb):
    """The model's own output for `rgb` scaled to [0, 1], as MediaPipe's graph feeds it."""
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(model))
    interpreter.allocate_tensors()
    tensor = (rgb.astype(np.float32) / np.float32(255.0))[np.newaxis]
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], tensor)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])[0, :, :, 0].copy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preview", type=Path, help="also write PNG previews of inputs and masks here")
    args = parser.parse_args()

    import mediapipe as mp
    from PIL import Image

    image, image_row = ri.astronaut()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    masks = {}
    for name, (selection, width, height, (top, bottom)) in ri.MODELS_SPEC.items():
        rgb = ri.model_input(image, name)
        model, model_row = ri.model_path(name)
        mask = mediapipe_mask(rgb, selection)
        if mask.shape != (height, width):
            raise SystemExit(f"{name}: MediaPipe mask is {mask.shape}, expected {(height, width)}")
        encoded = np.round(np.clip(mask, 0.0, 1.0) * 65535.0).astype("<u2").tobytes()
        out = FIXTURES / f"astronaut_{name}_mask.u16"
        out.write_bytes(encoded)

        raw = raw_model_mask(model, rgb)
        entry = {
            "file": out.name,
            "width": width,
            "height": height,
            "encoding": ENCODING,
            "mask_sha256": ri.sha256(encoded),
            "model_file": model_row["file"],
            "model_sha256": model_row["sha256"],
            "mediapipe_model_selection": selection,
            "input": f"astronaut.png rows {top}..<{bottom}, all 512 columns, then 2x2 box average "
                     "(a+b+c+d+2)//4 per channel; packed RGB24, row-major",
            "input_sha256": ri.sha256(rgb.tobytes()),
            "fraction_above_half": round(float((mask > 0.5).mean()), 6),
            "mean": round(float(mask.mean()), 6),
            "min": float(mask.min()),
            "max": float(mask.max()),
            "max_abs_diff_vs_raw_model": float(np.abs(mask - raw).max()),
        }
        masks[name] = entry
        print(f"{name}: {width}x{height}, {entry['fraction_above_half']:.4f} of pixels > 0.5, "
              f"mean {entry['mean']:.4f}, MediaPipe vs raw model max |diff| "
              f"{entry['max_abs_diff_vs_raw_model']:.3g}", file=sys.stderr)
        if args.preview:
            args.preview.mkdir(parents=True, exist_ok=True)
            Image.fromarray(rgb).save(args.preview / f"astronaut_{name}_input.png")
            Image.fromarray((mask * 255).round().astype(np.uint8)).save(
                args.preview / f"astronaut_{name}_mask.png")

    document = {
        "generator": "scripts/make-reference-masks.py",
        "image": {"file": image_row["file"], "sha256": image_row["sha256"],
                  "source": f"{image_row['package']} {image_row['member']}",
                  "width": 512, "height": 512},
        "versions": {"mediapipe": mp.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "masks": masks,
    }
    (FIXTURES / "astronaut_masks.json").write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
