#!/usr/bin/env python3
"""Cuts the first 180 s of the nelpy linear-track session and writes the values the tests expect.

Usage: python3 make_excerpt.py <folder holding linear-track_{units,spikes,position}.csv> [output folder]

Standard library only. Lines are copied byte for byte (never re-formatted), so the excerpt holds exactly the numbers
of the source. The expected values are computed here by plain text splitting, independently of MLNeuro's CSV reader.
"""
import os
import sys

SESSION = "linear-track"
START = 4397.0  # the recording starts at 4397.0 s (spikes from 4397.0023 s, position from 4397.0317 s)
END = START + 180.0  # keep timestamps < END: the dropout minute at the start, then two minutes of running


def lines(path):
    """The file's lines with their own endings (the source files mix CRLF and LF; both are kept)."""
    with open(path, newline="") as f:
        return f.read().splitlines(keepends=True)


def write(path, rows):
    with open(path, "w", newline="") as f:
        f.write("".join(rows))


def fields(line):
    return line.rstrip("\r\n").split(",")


def main(source, target):
    units = lines(os.path.join(source, f"{SESSION}_units.csv"))
    spikes = lines(os.path.join(source, f"{SESSION}_spikes.csv"))
    position = lines(os.path.join(source, f"{SESSION}_position.csv"))

    kept_spikes = [spikes[0]] + [l for l in spikes[1:] if float(fields(l)[1]) < END]
    kept_position = [position[0]] + [l for l in position[1:] if float(fields(l)[0]) < END]
    write(os.path.join(target, f"{SESSION}_units.csv"), units)  # every unit, also those silent in the excerpt
    write(os.path.join(target, f"{SESSION}_spikes.csv"), kept_spikes)
    write(os.path.join(target, f"{SESSION}_position.csv"), kept_position)

    # Per unit, in units.csv order: spike count, and first and last spike time as the text the file holds.
    stats = {fields(l)[0]: [0, "", ""] for l in units[1:]}
    for l in kept_spikes[1:]:
        unit, t = fields(l)
        s = stats[unit]
        if s[0] == 0 or float(t) < float(s[1]):
            s[1] = t
        if s[0] == 0 or float(t) >= float(s[2]):
            s[2] = t
        s[0] += 1
    write(os.path.join(target, "expected_units.csv"),
          ["unit_id,n_spikes,first_spike_s,last_spike_s\n"] + [f"{u},{n},{a},{b}\n" for u, (n, a, b) in stats.items()])

    border = sum(1 for l in kept_position[1:]
                 if (lambda x, y: x in (0, 639) or y in (0, 479))(*map(float, fields(l)[1:3])))
    print(f"units {len(units) - 1} ({sum(1 for s in stats.values() if s[0] == 0)} silent), "
          f"spikes {len(kept_spikes) - 1}, position rows {len(kept_position) - 1}, border samples {border}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__)))
