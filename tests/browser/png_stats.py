#!/usr/bin/env python3
"""png_stats.py — checks that a PNG screenshot is not blank (Debian's python3-pil + numpy).

usage: png_stats.py SHOT.png [--min-colours N] [--crop Y0:Y1 --out PART.png]

Prints "WIDTHxHEIGHT colours=N ink=F rows=R": the number of distinct RGB values, the share
of pixels that differ from the most common colour (the page background), and the last
pixel row that is not background (how tall the rendered content is).  Exits 1 when there
are fewer than N colours (default 16) or less than 1 % ink: a blank or one-colour render.
With --crop it also writes rows Y0..Y1 as PART.png, to look at one part of a tall shot.
"""
import argparse
import sys

import numpy as np
from PIL import Image


def main():
    ap = argparse.ArgumentParser(description="checks that a PNG screenshot is not blank")
    ap.add_argument("png")
    ap.add_argument("--min-colours", type=int, default=16)
    ap.add_argument("--crop")
    ap.add_argument("--out")
    a = ap.parse_args()
    img = Image.open(a.png).convert("RGB")
    if a.crop:
        y0, y1 = (int(v) for v in a.crop.split(":"))
        img.crop((0, y0, img.width, min(y1, img.height))).save(a.out)
    px = np.asarray(img, dtype=np.uint32)
    codes = (px[:, :, 0] << 16) | (px[:, :, 1] << 8) | px[:, :, 2]
    values, counts = np.unique(codes, return_counts=True)
    background = values[counts.argmax()]
    ink = 1.0 - counts.max() / codes.size
    inked_rows = np.nonzero((codes != background).any(axis=1))[0]
    last = int(inked_rows[-1]) + 1 if inked_rows.size else 0
    print("%dx%d colours=%d ink=%.3f rows=%d" % (img.width, img.height, len(values), ink, last))
    return 0 if len(values) >= a.min_colours and ink >= 0.01 else 1


if __name__ == "__main__":
    sys.exit(main())
