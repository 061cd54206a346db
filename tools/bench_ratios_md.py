#!/usr/bin/python3
"""Markdown tables of the ratio section of an `actlab bench` output file.

    /usr/bin/python3 tools/bench_ratios_md.py BENCH_OUTPUT > table.md

One table per n (rows: entry x threads; columns: actlab / oneDNN, actlab /
PyTorch and actlab / copy, forward and backward, and the bench's verdict on
the issue-5 targets), as in docs/performance.md.
"""
import re
import sys

rows = {}
in_ratios = False
for line in open(sys.argv[1]):
    if line.startswith('ratios'):
        in_ratios = True
        continue
    if in_ratios and (line.startswith('notes') or not line.strip()):
        in_ratios = False
        continue
    if not in_ratios or line.startswith('act '):
        continue
    f = line.split()
    if len(f) < 10:
        continue
    act, n, thr = f[0], int(f[1]), f[2]
    verdict = ' '.join(f[9:]).replace('<', '&lt;')
    rows.setdefault(n, []).append([act, thr] + f[3:9] + [verdict])

for n in sorted(rows):
    print('#### n = 2^%d\n' % (n.bit_length() - 1))
    print('| act | thr | vs oneDNN fwd | vs oneDNN bwd | vs PyTorch fwd | vs PyTorch bwd | vs copy fwd | vs copy bwd | issue-5 targets |')
    print('|---|---|---|---|---|---|---|---|---|')
    for r in rows[n]:
        print('| ' + ' | '.join(r) + ' |')
    print()
