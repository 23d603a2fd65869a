#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/run in its quickest form, on a tiny load (2 processes x 10 fds, 5 and 20 mounts, one run each): it must
write a well-formed bench.csv with every expected row, bench.md and bench.png, find the pinners it should, and
leave no loop device, mount, directory or process behind. Structure only: no timing is checked.

Usage: run_structure_test.py BENCH_RUN BUILD_DIR   (TAP on stdout; as root)"""

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROCS, FDS, MOUNTS = 2, 10, (5, 20)
PIN_TOOLS = [("findmnt --detached", "ours"), ("mkfs-guard DEV", "ours"), ("fuser -m DEV", "theirs"),
             ("lsof DEV", "theirs"), ("lsfd -Q SOURCE", "theirs"), ("fuser -m DEV", "ours")]
# Ours again, task pins read from /proc (the rows above read them with BPF iterators where they load).
PROC_TOOLS = [("findmnt --detached (/proc)", "ours"), ("mkfs-guard DEV (/proc)", "ours"),
              ("fuser -m DEV (/proc)", "ours")]
MOUNT_TOOLS = [(name, side) for name in ("findmnt", "findmnt -l", "findmnt -J") for side in ("ours", "theirs")]
FIELDS = ["load", "state", "procs", "fds_per_proc", "fds", "mounts", "tool", "side", "runs", "median_s", "min_s",
          "max_s", "ratio", "vs", "max_rss_kib", "check"]

cases = []


def check(description, ok):
    cases.append((description, bool(ok)))


def require_root():
    missing = [] if os.geteuid() == 0 else ["root"]
    missing += [t for t in ("fuser", "lsof", "lsfd", "mkfs.ext4", "gnuplot", "unshare") if not shutil.which(t)]
    if not missing:
        return
    if os.environ.get("CI") == "true":
        print("1..1\nnot ok 1 - needs %s (CI=true: a privileged test may not skip)" % " ".join(missing))
        sys.exit(1)
    print("1..0 # SKIP needs %s" % " ".join(missing))
    sys.exit(0)


def clock_ticks_now():
    with open("/proc/self/stat") as f:
        stat = f.read()
    return int(stat[stat.rindex(")") + 2:].split()[19])


def holders_started_since(ticks):
    """Processes named bench-holder (the bench's fd holders) that started after `ticks`."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name == "bench-holder" and int(stat[stat.rindex(")") + 2:].split()[19]) >= ticks:
            found.append(int(entry))
    return found


def mounts_left(work):
    """Mounts under the bench's work directory in any process's mount table (any namespace still alive)."""
    left = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/mountinfo" % entry) as f:
                left |= {line.split()[4] for line in f if line.split()[4].startswith(work + "/")}
        except OSError:
            continue
    return left


def loops_left(work):
    out = subprocess.run(["losetup", "-l", "-n", "-O", "BACK-FILE"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if work in line]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def expected_rows():
    rows = [("pins", state, str(PROCS * FDS), "0", tool, side) for state in ("attached", "detached")
            for tool, side in PIN_TOOLS + PROC_TOOLS]
    rows += [("mounts", "", "0", str(n), tool, side) for n in MOUNTS for tool, side in MOUNT_TOOLS]
    return rows


def check_csv(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        rows = [dict(zip(header, r)) for r in reader]
    check("bench.csv has the documented columns in order", header == FIELDS)
    keys = [(r["load"], r["state"], r["fds"], r["mounts"], r["tool"], r["side"]) for r in rows]
    check("bench.csv has one row per tool and load, %d in all" % len(expected_rows()),
          sorted(keys) == sorted(expected_rows()))
    numbers_ok = True
    for r in rows:
        try:
            lo, mid, hi = float(r["min_s"]), float(r["median_s"]), float(r["max_s"])
            numbers_ok &= 0 < lo <= mid <= hi and int(r["runs"]) == 1 and int(r["max_rss_kib"]) > 0
        except ValueError:
            numbers_ok = False
    check("every row has one run, min <= median <= max, and a max RSS", numbers_ok)
    ours = [r for r in rows if r["side"] == "ours"]
    check("every row of ours has a ratio and the tool it is against",
          all(re.fullmatch(r"\d+\.\d{3}", r["ratio"]) and r["vs"] for r in ours))
    return {k: r for k, r in zip(keys, rows)}


def check_findings(rows):
    def found(state, tool):
        return rows[("pins", state, str(PROCS * FDS), "0", tool[0], tool[1])]["check"]

    want = "%d/%d pinners" % (PROCS, PROCS)
    check("attached: mkfs-guard, both fuser -m, lsof and lsfd each name both holders",
          all(found("attached", t) == want for t in PIN_TOOLS[1:]))
    check("attached: findmnt --detached lists none of them (nothing is detached yet)",
          found("attached", PIN_TOOLS[0]) == "0/%d pinners" % PROCS)
    check("detached: findmnt --detached, mkfs-guard and fuser -m name both holders",
          all(found("detached", t) == want for t in PIN_TOOLS[:3]))
    check("detached: our fuser -m names both holders too", found("detached", PIN_TOOLS[5]) == want)
    check("from /proc too: attached, mkfs-guard and fuser -m name both holders, findmnt --detached none",
          [found("attached", t) for t in PROC_TOOLS] == ["0/%d pinners" % PROCS, want, want])
    check("from /proc too: detached, all three name both holders",
          all(found("detached", t) == want for t in PROC_TOOLS))
    check("each findmnt mode printed util-linux's bytes on both mount loads",
          all(r["check"] == "same output" for k, r in rows.items() if k[0] == "mounts"))


def check_census_shares(lines):
    """The census's share of each of our six pin tools' scans, on each state of the pin load: a share in
    0-100% and the verdict against the 5% cap (whatever it is: timings are the bench's, not a test's)."""
    rows = [line.split(" | ") for line in lines[3:] if line.startswith("| ")]
    check("bench.md has the census's share of the scan for each of our pin tools, attached and detached",
          len(lines) > 3 and len(rows) == 6 * 2)
    shares = [re.match(r"([0-9.]+)% \(", row[4]) if len(row) == 7 else None for row in rows]
    check("each census share is a percentage with its range, a verdict against the cap and its largest phase",
          bool(rows) and all(m and 0 <= float(m.group(1)) <= 100 for m in shares) and
          all(row[5] in ("yes", "NO") and re.fullmatch(r"\S.* [0-9.]+ \|", row[6]) for row in rows))


def main():
    bench, build = sys.argv[1], sys.argv[2]
    require_root()
    out = tempfile.mkdtemp(prefix="bench-structure.")
    since = clock_ticks_now()
    try:
        run = subprocess.run([bench, "--loads", "%dx%d" % (PROCS, FDS), "--mounts", ",".join(map(str, MOUNTS)),
                              "--repeats", "1", "--mount-repeats", "1", "--min-seconds", "0", "--out", out],
                             capture_output=True, text=True, env=dict(os.environ, MESON_BUILD_ROOT=build),
                             timeout=280)
        check("bench/run exits 0", run.returncode == 0)
        work = re.search(r"work directory (\S+),", run.stdout)
        paths = {name: os.path.join(out, name) for name in ("bench.csv", "bench.md", "bench.png", "bench.gp")}
        if os.path.exists(paths["bench.csv"]):
            check_findings(check_csv(paths["bench.csv"]))
        else:
            check("bench.csv was written", False)
        check("bench.png is a PNG image", read(paths["bench.png"])[:8] == b"\x89PNG\r\n\x1a\n")
        md = read(paths["bench.md"]).decode().splitlines()
        heading = next((i for i, line in enumerate(md) if line.startswith("The census of kernel pins")), len(md))
        check("bench.md has a row per comparison (10 per pin load and state, 3 per mount load)",
              len([line for line in md[2:heading] if line.startswith("| ")]) == 10 * 2 + 3 * len(MOUNTS))
        check_census_shares(md[heading:])
        check("the work directory is named on stdout and removed", work and not os.path.exists(work.group(1)))
        work_dir = work.group(1) if work else "/tmp/detach-bench."
        check("no loop device is left on the bench's image", not loops_left(work_dir))
        check("no mount is left under the work directory in any namespace", not mounts_left(work_dir))
        check("no holder process is left", not holders_started_since(since))
        if run.returncode != 0:
            sys.stderr.write(run.stdout + run.stderr)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print("1..%d" % len(cases))
    for n, (description, ok) in enumerate(cases, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", n, description))
    return 0 if all(ok for _, ok in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
