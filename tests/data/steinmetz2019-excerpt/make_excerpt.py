#!/usr/bin/env python3
"""Cuts a small multi-session excerpt of the Steinmetz 2019 course subset and writes the values the tests expect.

Usage: python3 make_excerpt.py <folder holding units.csv, spikes.csv, trials.csv> [output folder]

Kept: the first session of each of the three mice; in each, the units whose index (n<index>) is a multiple of 25
(a spread over the probe's regions) and the first 20 trials; the spikes of those units inside those trials. Lines are
copied byte for byte in file order. The expected values are computed here by plain text splitting, independently of
MLNeuro's CSV reader.
"""
import os
import sys

SESSIONS = ["Cori_2016-12-14", "Forssmann_2017-11-01", "Hench_2017-06-15"]
UNIT_STEP = 25
TRIALS = 20


def lines(path):
    """The file's lines with their own endings (the source files use CRLF; kept as they are)."""
    with open(path, newline="") as f:
        return f.read().splitlines(keepends=True)


def write(path, rows):
    with open(path, "w", newline="") as f:
        f.write("".join(rows))


def fields(line):
    return line.rstrip("\r\n").split(",")


def main(source, target):
    units = lines(os.path.join(source, "units.csv"))
    trials = lines(os.path.join(source, "trials.csv"))

    # units.csv: unit_id, session_id, subject_id, brain_region, region_group
    kept_units = [units[0]] + [l for l in units[1:]
                               if fields(l)[1] in SESSIONS and int(fields(l)[0][1:]) % UNIT_STEP == 0]
    # trials.csv: session_id, start, stop, ...; the first TRIALS rows of each kept session
    per_session = {s: 0 for s in SESSIONS}
    kept_trials = [trials[0]]
    for l in trials[1:]:
        s = fields(l)[0]
        if s in per_session and per_session[s] < TRIALS:
            per_session[s] += 1
            kept_trials.append(l)
    windows = {s: [] for s in SESSIONS}
    for l in kept_trials[1:]:
        f = fields(l)
        windows[f[0]].append((float(f[1]), float(f[2])))
    unit_keys = {(fields(l)[1], fields(l)[0]) for l in kept_units[1:]}

    # spikes.csv (session_id, unit_id, timestamp) is 127 MB: stream it. Spikes sit at bin centres inside the trials.
    kept_spikes = []
    with open(os.path.join(source, "spikes.csv"), newline="") as f:
        kept_spikes.append(f.readline())
        for l in f:
            s, u, t = fields(l)
            if (s, u) in unit_keys and any(a <= float(t) < b for a, b in windows[s]):
                kept_spikes.append(l)

    write(os.path.join(target, "units.csv"), kept_units)
    write(os.path.join(target, "trials.csv"), kept_trials)
    write(os.path.join(target, "spikes.csv"), kept_spikes)

    # Per session, in units.csv order: subject, units, spikes, trials, and the count of units per region group.
    rows = ["session_id,subject_id,units,spikes,trials,region_groups\n"]
    for s in SESSIONS:
        su = [fields(l) for l in kept_units[1:] if fields(l)[1] == s]
        groups = {}
        for u in su:
            groups[u[4]] = groups.get(u[4], 0) + 1
        n_spikes = sum(1 for l in kept_spikes[1:] if fields(l)[0] == s)
        rows.append(f"{s},{su[0][2]},{len(su)},{n_spikes},{per_session[s]},"
                    + " ".join(f"{g}:{n}" for g, n in sorted(groups.items())) + "\n")
    write(os.path.join(target, "expected_sessions.csv"), rows)
    print("".join(rows), end="")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__)))
