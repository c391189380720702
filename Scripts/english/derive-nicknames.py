#!/usr/bin/env python3
"""Derives Data/names-english-nicknames.tsv from the `nicknames` package.

The package (nicknames 1.0.1, Apache-2.0, https://pypi.org/project/nicknames/) ships
`nicknames/names.csv`: `name1,relationship,name2` rows ("catherine,has_nickname,cathy"), a
hand-curated list of English given names and their nicknames. We take the name pairs (facts).

    pip download nicknames==1.0.1 --no-deps -d /tmp/nn && cd /tmp/nn && unzip -o nicknames-1.0.1-py3-none-any.whl
    python3 Scripts/english/derive-nicknames.py /tmp/nn/nicknames/names.csv     # writes Data/
    python3 Scripts/embed-tables.py                                             # embeds it
"""
import csv
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "Data" / "names-english-nicknames.tsv"


def derive(src):
    pairs = set()
    with open(src, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a, b = row["name1"].strip().lower(), row["name2"].strip().lower()
            if a and b and a != b and a.isalpha() and b.isalpha():
                pairs.add((a, b))
    with open(DATA, "w", encoding="utf-8") as f:
        f.write("# name\tnickname (nicknames 1.0.1, Apache-2.0: nicknames/names.csv)\n")
        for a, b in sorted(pairs):
            f.write(f"{a}\t{b}\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: derive-nicknames.py PATH/TO/nicknames/names.csv")
    derive(sys.argv[1])
