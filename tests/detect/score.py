#!/usr/bin/env python3
"""Score leakgate's JSON Lines findings against the corpus labels.

    score.py LABELS.json FINDINGS.jsonl RULES.ini

A labelled key counts as found when leakgate reports a finding on its line.
Precision counts every finding: on a key's line it is right; on a decoy's
line, or on a line with no label at all, it is wrong. Findings are grouped
by the provider of the rule that made them (from rules.ini); recall by the
provider of the key.
"""
import collections, json, re, sys

labels = json.load(open(sys.argv[1]))
findings = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
provider = {}
rid = None
for line in open(sys.argv[3]):
    m = re.match(r'\[rule "([^"]+)"\]', line)
    if m:
        rid = m.group(1)
    m = re.match(r'provider\s*=\s*(.+)', line)
    if m and rid:
        provider[rid] = m.group(1).strip()

pos = {(l['path'], l['line']): l for l in labels if l['positive']}
dec = {(l['path'], l['line']): l for l in labels if not l['positive']}
by_line = collections.defaultdict(list)
for f in findings:
    if f.get('kind') == 'secret':
        by_line[(f['path'], f['line'])].append(f)

rec = collections.defaultdict(lambda: [0, 0])
missed = []
for k, l in pos.items():
    rec[l['provider']][1] += 1
    if by_line.get(k):
        rec[l['provider']][0] += 1
    else:
        missed.append(l)
prec = collections.defaultdict(lambda: [0, 0])
wrong = []
for f in findings:
    if f.get('kind') != 'secret':
        continue
    p = provider.get(f['rule'], '?')
    k = (f['path'], f['line'])
    prec[p][1] += 1
    if k in pos:
        prec[p][0] += 1
    else:
        wrong.append((f, dec.get(k)))

provs = sorted(set(rec) | set(prec), key=str.lower)
print('%-18s %8s %8s %8s   %9s %9s' % ('provider', 'keys', 'found', 'recall', 'findings', 'precision'))
for p in provs:
    f, n = rec[p] if p in rec else (0, 0)
    t, m = prec[p] if p in prec else (0, 0)
    print('%-18s %8d %8d %8s   %9d %9s' % (p[:18], n, f, ('%.0f%%' % (100.0 * f / n)) if n else '-', m,
                                          ('%.0f%%' % (100.0 * t / m)) if m else '-'))
tf, tn = sum(v[0] for v in rec.values()), sum(v[1] for v in rec.values())
tt, tm = sum(v[0] for v in prec.values()), sum(v[1] for v in prec.values())
flagged = sorted({(w[1]['path'], w[1]['line']) for w in wrong if w[1]})
print('%-18s %8d %8d %7.1f%%   %9d %8.1f%%' % ('TOTAL', tn, tf, 100.0 * tf / max(tn, 1), tm, 100.0 * tt / max(tm, 1)))
print('decoys flagged: %d of %d' % (len(flagged), len(dec)))
for l in missed:
    print('  missed: %s:%d  %s/%s' % (l['path'], l['line'], l['provider'], l['kind']))
for f, d in wrong:
    print('  wrong:  %s:%d  %s %s  (%s)' % (f['path'], f['line'], f['rule'], f['redacted'], d['provider'] if d else 'unlabelled line'))
sys.exit(0)
