#!/usr/bin/env python3
"""Draws the rate/quality curves of `backdrop bench codec --json` (person-region PSNR against
bit rate, one panel per clip, whole-frame H.264 against the selective variants) and prints the
BD-rate table as markdown.

usage: bench-codec-plot.py BENCH.json OUT.png   (needs matplotlib: scripts/python-env.sh has it)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def percent(value):
    return "n/a" if value is None else f"{value * 100:+.1f}%"


def main(path, png):
    with open(path) as handle:
        report = json.load(handle)
    clips = report["clips"]
    figure, axes = plt.subplots(1, len(clips), figsize=(5.2 * len(clips), 4.2), squeeze=False)
    for axis, clip in zip(axes[0], clips):
        for curve in clip["curves"]:
            variant = curve["variant"]
            if variant["selective"] and variant["padding"] == "none":
                continue  # sends the room: not a candidate, left out of the picture
            points = sorted(curve["points"], key=lambda p: p["kbps"])
            style = "k-o" if not variant["selective"] else "-o"
            label = variant["name"] if not variant["selective"] else f"{variant['name']} ({percent(curve.get('bdRatePSNR'))})"
            axis.plot([p["kbps"] for p in points], [p["personPSNR"] for p in points], style, label=label, markersize=4)
        axis.set_xscale("log")
        axis.set_xlabel("kbit/s (log)")
        axis.set_ylabel("person-region PSNR (dB)")
        axis.set_title(f"{clip['name']} {clip['width']}x{clip['height']}, person {clip['personCoverage'] * 100:.0f}%")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(png, dpi=110)

    names = [c["variant"]["name"] for c in clips[0]["curves"] if c["variant"]["selective"]]
    print("| clip | person | mask bit/frame (code) | IoU | scene keyframe B | " + " | ".join(names) + " |")
    print("|---|---|---|---|---|" + "---|" * len(names))
    for clip in clips:
        rates = {c["variant"]["name"]: c for c in clip["curves"]}
        cells = [f"{percent(rates[n].get('bdRatePSNR'))} (SSIM {percent(rates[n].get('bdRateSSIM'))})" for n in names]
        print(f"| {clip['name']} {clip['width']}x{clip['height']} | {clip['personCoverage'] * 100:.0f}% | "
              f"{clip['maskBitsPerFrame']:.0f} ({clip['maskCodeBitsPerFrame']:.0f}) | {clip['maskIoU']:.4f} | "
              f"{clip['largestSceneKeyframeBytes']} | " + " | ".join(cells) + " |")
    timing = report.get("timing720p")
    if timing:
        print(f"\n1280x720: plain x264 {timing['plainEncodeMilliseconds']:.2f} ms/frame; selective steps "
              f"{timing['selectivePreparationMilliseconds']:.2f} ms CPU + x264 {timing['selectiveEncodeMilliseconds']:.2f} ms; "
              f"added {timing['addedMilliseconds']:.2f} ms/frame; with the room's scene the steps take "
              f"{timing['preparationWithRoomSceneMeanMilliseconds']:.2f} ms CPU on average "
              f"({timing['preparationWithRoomSceneMaxMilliseconds']:.1f} ms at most)")
    picture = report.get("picture")
    if picture:
        print(f"\nlowrate.png: {picture['clip']} frame {picture['frame']} at {picture['requestedKbps']:.0f} kbit/s requested: "
              f"Backdrop reached {picture['backdropKbps']:.0f}, whole-frame {picture['wholeFrameKbps']:.0f} kbit/s")
    if report.get("bestVariant"):
        print(f"\nBest variant (mean BD-rate over the clips, sending no room): {report['bestVariant']}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
