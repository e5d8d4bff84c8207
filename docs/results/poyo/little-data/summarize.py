import sys, collections
rows = collections.defaultdict(list)
for path in sys.argv[1:]:
    for line in open(path):
        if not line.startswith("RESULT"): continue
        _, tag, held, frac, _, seed, arm, r2 = line.split()
        rows[(frac, arm)].append((held, seed, float(r2)))
for (frac, arm), v in sorted(rows.items()):
    vals = [x[2] for x in v]
    print(f"{frac:5} {arm:12} n={len(vals)} mean={sum(vals)/len(vals):7.3f}  " + " ".join(f"{x[0][:6]}/{x[1]}:{x[2]:.3f}" for x in v))
