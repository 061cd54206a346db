#!/usr/bin/python3
"""Builds the table of docs/accuracy.md from `actlab ulp` outputs.

    /usr/bin/python3 tools/make_accuracy_md.py SAMPLED_TABLE STEP EXHAUSTIVE_LOG [ROWS] > table.md

SAMPLED_TABLE: rows printed by tools/ulp_table.sh at step STEP;
EXHAUSTIVE_LOG: the log of tools/exhaustive.sh (step 1). A direction that
finished in the exhaustive log replaces the sampled numbers (step column 1).

    /usr/bin/python3 tools/make_accuracy_md.py --update docs/accuracy.md EXHAUSTIVE_LOG

rewrites, in place, the rows of the table in docs/accuracy.md that have a
finished step-1 run in the log (the last run of each entry and direction wins,
so a re-run after a kernel change replaces the old numbers).

    /usr/bin/python3 tools/make_accuracy_md.py --onednn ONEDNN_LOG

prints the "actlab vs oneDNN" table from the log of tools/onednn_ulp.sh.
"""
import re
import sys

def exhaustive_rows(log_path):
    """{(name, 'fwd'|'bwd'): cells} of the finished step-1 runs in the log."""
    out = {}
    text = open(log_path).read()
    for m in re.finditer(r'=== (\S+) (forward|--backward) step 1 start (\S+)\n(.*?)=== exit (\d+) end (\S+)', text, re.S):
        name, d, start, body, rc, end = m.groups()
        get = lambda key: re.search(r'^' + key + r'\s+(\S+)', body, re.M)
        if not get('max_ulp'):
            continue
        out[(name, 'fwd' if d == 'forward' else 'bwd')] = [
            '1', get('max_ulp').group(1), get('worst_x').group(1), get('frac_gt_1ulp').group(1),
            get('frac_gt_2ulp').group(1), get('nonfinite_mismatch').group(1),
            re.search(r'^contract\s+(\d+) ULP: (\S+)', body, re.M).expand(r'\1 \2')]
    return out


if sys.argv[1] == '--onednn':
    # Table of tools/onednn_ulp.sh's log: actlab and oneDNN on the same inputs.
    text = open(sys.argv[2]).read()
    runs, order = {}, []
    for m in re.finditer(r'=== (\S+) (forward|--backward) (actlab|onednn) step (\d+) start \S+\n(.*?)=== exit (\d+) end',
                         text, re.S):
        name, d, impl, step, body, rc = m.groups()
        get = lambda key: re.search(r'^' + key + r'\s+(.*)$', body, re.M)
        if not get('max_ulp'):
            continue
        key = (name, 'fwd' if d == 'forward' else 'bwd', step)
        if key not in runs:
            order.append(key)
        cells = {k: get(k).group(1) for k in ('max_ulp', 'worst_x', 'frac_gt_1ulp', 'frac_gt_2ulp', 'nonfinite_mismatch')}
        fin = get('max_ulp_finite')  # printed only when there are NaN/inf mismatches
        cells['finite'] = fin.group(1).split()[0] if fin else cells['max_ulp']
        runs.setdefault(key, {})[impl] = cells
    print('| activation | dir | step | actlab max ULP | oneDNN max ULP | oneDNN max ULP, finite only | oneDNN worst x (y, reference) '
          '| oneDNN frac > 1 ULP | oneDNN frac > 2 ULP | oneDNN NaN/inf mismatches |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for key in order:
        r = runs[key]
        if 'actlab' not in r or 'onednn' not in r:
            continue
        a, o = r['actlab'], r['onednn']
        print(f"| {key[0]} | {key[1]} | {key[2]} | {a['max_ulp']} | {o['max_ulp']} | {o['finite']} | {o['worst_x']} "
              f"| {o['frac_gt_1ulp']} | {o['frac_gt_2ulp']} | {o['nonfinite_mismatch']} |")
    sys.exit(0)

if sys.argv[1] == '--update':
    doc, log_path = sys.argv[2], sys.argv[3]
    ex = exhaustive_rows(log_path)
    lines = open(doc).read().split('\n')
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) == 9 and (cells[0], cells[1]) in ex:
            c = ex[(cells[0], cells[1])]
            lines[i] = f'| {cells[0]} | {cells[1]} | ' + ' | '.join(c) + ' |'
    open(doc + '.tmp', 'w').write('\n'.join(lines))
    import os
    os.replace(doc + '.tmp', doc)
    sys.exit(0)

sampled_path, step, log_path = sys.argv[1], sys.argv[2], sys.argv[3]
rows_label = (sys.argv[4] if len(sys.argv) > 4 else '4000') + ' rows'
ROWWISE = {'softmax', 'log_softmax', 'softmin'}

rows = {}
order = []
for line in open(sampled_path):
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) != 13:
        continue
    name = cells[0]
    order.append(name)
    st = rows_label if name in ROWWISE else step
    rows[name] = {'fwd': [st] + cells[1:7], 'bwd': [st] + cells[7:13]}

for (name, d), cells in exhaustive_rows(log_path).items():
    if name in rows:
        rows[name][d] = cells

print('| activation | dir | step | max ULP | worst x | frac > 1 ULP | frac > 2 ULP | NaN/inf mismatches | contract |')
print('|---|---|---|---|---|---|---|---|---|')
for name in order:
    for d in ('fwd', 'bwd'):
        c = rows[name][d]
        print(f'| {name} | {d} | {c[0]} | {c[1]} | {c[2]} | {c[3]} | {c[4]} | {c[5]} | {c[6]} |')
