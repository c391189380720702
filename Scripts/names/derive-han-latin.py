#!/usr/bin/env python3
"""Writes Data/names-pinyin-han-latin.tsv: ICU's `Han-Latin` transliteration of every character
in U+3400–U+9FFF (the range the pinyin table covers), one character per line, as ICU writes it
(with tone marks; the engine strips them when it loads the table).

ICU's transform data is the source (Unicode License v3); `uconv` from Debian's icu-devtools
runs it, the same library the engine links:

    apt-get install icu-devtools        # uconv
    python3 Scripts/names/derive-han-latin.py
    python3 Scripts/embed-tables.py

Characters ICU leaves as they are are not written; every other result is, as ICU wrote it
(the engine keeps the toned Latin letters of a reading, such as `è` for 厄, and drops a result
holding anything else, as it does with ICU's own output). The
`ICU version` line of the header says which ICU made the table; the engine uses the table,
not the machine's ICU, so the readings (and with them blocking keys and name levels) do not
change with the ICU a machine has. `PinyinTests` compares the table with the machine's ICU.
"""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
FIRST, LAST = 0x3400, 0x9FFF


def main():
    text = "".join(chr(c) + "\n" for c in range(FIRST, LAST + 1))
    out = subprocess.run(["uconv", "-f", "utf-8", "-t", "utf-8", "-x", "Han-Latin"],
                         input=text.encode("utf-8"), capture_output=True, check=True).stdout.decode("utf-8")
    lines = out.split("\n")
    if len(lines) < LAST - FIRST + 1:
        raise SystemExit(f"uconv returned {len(lines)} lines for {LAST - FIRST + 1} characters")
    version = subprocess.run(["uconv", "--version"], capture_output=True, text=True).stdout.strip()
    rows = []
    for k, c in enumerate(range(FIRST, LAST + 1)):
        reading = lines[k].strip()
        if not reading or reading == chr(c):   # left as it is: no reading
            continue
        if "\t" in reading:
            raise SystemExit(f"a tab in the reading of U+{c:04X}")
        rows.append(f"{chr(c)}\t{reading}")
    header = [
        "# ICU Han-Latin of U+3400-U+9FFF, one character per line (tone marks kept; the engine strips them).",
        f"# Made by Scripts/names/derive-han-latin.py with {version}.",
    ]
    path = ROOT / "Data" / "names-pinyin-han-latin.tsv"
    path.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} characters")


if __name__ == "__main__":
    main()
