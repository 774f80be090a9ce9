#!/usr/bin/env python3
"""Turns bench.sh's results.tsv into a Markdown table with Cairn's ratio to each peer, and checks the
targets of issue #3 (first backup <= 0.5x restic's wall time, second <= 1x, restore <= 0.5x, repository
no larger than restic's, peak RSS < 300 MiB)."""
import csv
import os
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
data = {}
rounds = {}
for r in rows:  # a phase measured more than once (restore rounds): its fastest run counts
    key = (r["tool"], r["phase"])
    rounds.setdefault(key, []).append(float(r["wall_s"]))
    if key not in data or float(r["wall_s"]) < float(data[key]["wall_s"]):
        data[key] = r
tools = [t for t in ("cairn", "restic", "borg") if any(k[0] == t for k in data)]
peers = [t for t in tools if t != "cairn"]
phases = [p for p in ("backup1", "backup2", "restore", "verify") if any(k[1] == p for k in data)]
names = {"backup1": "first backup", "backup2": "second backup (1% changed)", "restore": "full restore",
         "verify": "full read-verify"}


def value(tool, phase, metric):
    r = data.get((tool, phase))
    if r is None or not r[metric]:
        return None
    v = float(r[metric])
    return v / 1024 if metric == "rss_kib" else v / 2**20 if metric == "repo_bytes" else v


def fmt(v, unit):
    return "–" if v is None else f"{v:.1f} {unit}" if v < 100 else f"{v:.0f} {unit}"


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


header = ["phase", "metric"] + tools + [f"cairn/{p}" for p in peers]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
metrics = [("wall_s", "wall time", "s"), ("cpu_s", "CPU time", "s"), ("rss_kib", "peak RSS", "MiB")]
for phase in phases:
    for metric, label, unit in metrics:
        vals = {t: value(t, phase, metric) for t in tools}
        cells = [names[phase], label] + [fmt(vals[t], unit) for t in tools]
        cells += [ratio(vals.get("cairn"), vals[p]) for p in peers]
        print("| " + " | ".join(cells) + " |")
    if phase.startswith("backup"):
        vals = {t: value(t, phase, "repo_bytes") for t in tools}
        cells = [names[phase], "repository size"] + [fmt(vals[t], "MiB") for t in tools]
        cells += [ratio(vals.get("cairn"), vals[p]) for p in peers]
        print("| " + " | ".join(cells) + " |")

repeated = {k: v for k, v in rounds.items() if len(v) > 1}
if repeated:
    print()
    print("Measured more than once (the fastest is in the table): " + "; ".join(
        f"{t} {names[p]} " + ", ".join(f"{w:.2f}" for w in v) + " s" for (t, p), v in sorted(repeated.items())))

loads = [float(r["load1"]) for r in rows if r.get("load1")]
if loads:
    print()
    print(f"Load average (1 min) at the start of the phases: {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} cores"
          " (other work on the machine inflates wall times; CPU time is less affected).")

if "cairn" in tools and "restic" in tools:
    print()
    print("Targets (issue #3, against restic):")
    checks = [
        ("first backup wall time <= 0.5x restic", value("cairn", "backup1", "wall_s"), value("restic", "backup1", "wall_s"), 0.5),
        ("second backup wall time <= 1x restic", value("cairn", "backup2", "wall_s"), value("restic", "backup2", "wall_s"), 1.0),
        ("restore wall time <= 0.5x restic", value("cairn", "restore", "wall_s"), value("restic", "restore", "wall_s"), 0.5),
        ("repository size <= restic's", value("cairn", "backup2", "repo_bytes"), value("restic", "backup2", "repo_bytes"), 1.0),
    ]
    for label, c, r, limit in checks:
        if c is None or r is None:
            print(f"- {label}: not measured")
            continue
        got = c / r
        verdict = "met" if got <= limit else f"MISSED by {(got / limit - 1) * 100:.1f}%"
        print(f"- {label}: {got:.2f}x — {verdict}")
    peak = max((value("cairn", p, "rss_kib") or 0) for p in phases)
    print(f"- peak RSS < 300 MiB: {peak:.0f} MiB — " + ("met" if peak < 300 else f"MISSED by {peak - 300:.0f} MiB"))
