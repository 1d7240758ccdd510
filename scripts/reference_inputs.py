"""Shared by make-reference-masks.py and bench-mediapipe.py: locating the verified assets and
building the model-size inputs from astronaut.png by an exactly reproducible integer method, so
that the Swift tests can build byte-identical inputs without Python."""

import hashlib
import os
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("BACKDROP_CACHE", Path.home() / ".cache" / "backdrop"))
MODELS = Path(os.environ.get("BACKDROP_MODELS", CACHE / "models"))
MEDIA = Path(os.environ.get("BACKDROP_MEDIA", CACHE / "media"))

# name -> (MediaPipe model_selection, model width, model height, crop rows of the 512x512 image)
MODELS_SPEC = {
    "landscape": (1, 256, 144, (112, 400)),
    "portrait": (0, 256, 256, (0, 512)),
}


def manifest(path):
    """Rows of a tab-separated asset manifest, keyed by name."""
    keys = ["name", "file", "package", "wheel", "wheel_sha256", "member", "sha256", "license"]
    rows = {}
    for line in Path(path).read_text().splitlines():
        if line and not line.startswith("#"):
            row = dict(zip(keys, line.split("\t")))
            rows[row["name"]] = row
    return rows


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def verified(directory, row):
    """Path of a fetched asset after checking its SHA-256 against the manifest."""
    path = Path(directory) / row["file"]
    if not path.is_file():
        raise SystemExit(f"{path} is missing: run scripts/fetch-assets.sh first")
    got = sha256(path.read_bytes())
    if got != row["sha256"]:
        raise SystemExit(f"{path} has SHA-256 {got}, expected {row['sha256']}: run scripts/fetch-assets.sh")
    return path


def astronaut():
    """The 512x512 RGB24 astronaut image, as a (512, 512, 3) uint8 array."""
    row = manifest(ROOT / "scripts" / "media.tsv")["astronaut"]
    image = Image.open(verified(MEDIA, row))
    if image.mode != "RGB" or image.size != (512, 512):
        raise SystemExit(f"astronaut.png is {image.mode} {image.size}, expected RGB (512, 512)")
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8)), row


def box_average_2x2(rgb):
    """Halves width and height: each output channel value is (a + b + c + d + 2) // 4."""
    wide = rgb.astype(np.uint16)
    total = wide[0::2, 0::2] + wide[0::2, 1::2] + wide[1::2, 0::2] + wide[1::2, 1::2]
    return np.ascontiguousarray(((total + 2) // 4).astype(np.uint8))


def model_input(image, name):
    """The model-size RGB24 input for model `name`: crop rows, then a 2x2 box average."""
    _, width, height, (top, bottom) = MODELS_SPEC[name]
    out = box_average_2x2(image[top:bottom])
    assert out.shape == (height, width, 3), out.shape
    return out


def model_path(name):
    rows = manifest(ROOT / "Models" / "manifest.tsv")
    return verified(MODELS, rows[name]), rows[name]
