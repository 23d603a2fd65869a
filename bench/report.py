# SPDX-License-Identifier: GPL-2.0-or-later
"""What a bench run writes: bench.csv (one row per tool and load), bench.md (every comparison: ours, theirs, the
ratio), and bench.png (time against fds, drawn by gnuplot from bench.gp, which holds its data and can be rerun)."""

import csv
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Optional

from measure import Result

CSV_FIELDS = ["load", "state", "procs", "fds_per_proc", "fds", "mounts", "tool", "side", "runs", "median_s",
              "min_s", "max_s", "ratio", "vs", "max_rss_kib", "check"]


@dataclass
class Load:
    """One measured load: `kind` "pins" (procs x fds_per_proc fds on the loop fs, `state` attached or detached) or
    "mounts" (that many tmpfs mounts besides the host's)."""
    kind: str
    state: str = ""
    procs: int = 0
    fds_per_proc: int = 0
    mounts: int = 0
    target: object = field(default=None, repr=False, compare=False)  # the LoopFs or MountSet the tools look at

    @property
    def fds(self):
        return self.procs * self.fds_per_proc

    def title(self):
        if self.kind == "pins":
            return "%d processes x %d fds = %d fds, %s" % (self.procs, self.fds_per_proc, self.fds, self.state)
        return "%d mounts" % self.mounts

    def short(self):
        return "%d fds, %s" % (self.fds, self.state) if self.kind == "pins" else "%d mounts" % self.mounts


@dataclass
class Row:
    load: Load
    tool: str
    side: str
    result: Result
    check: str = ""
    vs: str = ""
    ratio: Optional[float] = None


@dataclass
class Compared:
    load: Load
    label: str
    ours: Row
    theirs: Row
    ratio: float


def ratio(ours, theirs):
    return ours.result.median / theirs.result.median if theirs.result.median > 0 else float("nan")


def mib(kib):
    return "%.1f MiB" % (kib / 1024)


def secs(row):
    r = row.result
    text = "%.3f (%.3f-%.3f)" % (r.median, r.min, r.max)
    return text + " timeout" if r.timed_out else text


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_FIELDS)
        for row in rows:
            r, load = row.result, row.load
            out.writerow([load.kind, load.state, load.procs, load.fds_per_proc, load.fds, load.mounts, row.tool,
                          row.side, len(r.samples), "%.4f" % r.median, "%.4f" % r.min, "%.4f" % r.max,
                          "" if row.ratio is None else "%.3f" % row.ratio, row.vs, r.max_rss_kib, row.check])


def tool_table(load, rows, background):
    lines = ["== %s (host: %d fds in %d processes)" % (load.title(), *background),
             "%-22s %-6s %9s %9s %9s %11s  %s" % ("tool", "side", "median s", "min s", "max s", "max RSS", "check")]
    for row in rows:
        r = row.result
        lines.append("%-22s %-6s %9.3f %9.3f %9.3f %11s  %s%s" % (row.tool, row.side, r.median, r.min, r.max,
                                                                  mib(r.max_rss_kib), row.check,
                                                                  " (timed out)" if r.timed_out else ""))
    return "\n".join(lines)


def comparison_table(compared):
    """A Markdown table, for bench/README.md as it is."""
    lines = ["| load | ours / theirs | ours s: median (min-max) | theirs s: median (min-max) | ratio | our max RSS |"
             " checks (ours; theirs) |",
             "|---|---|---|---|---|---|---|"]
    for c in compared:
        lines.append("| %s | %s | %s | %s | %.2fx | %s | %s; %s |" % (
            c.load.short(), c.label, secs(c.ours), secs(c.theirs), c.ratio, mib(c.ours.result.max_rss_kib),
            c.ours.check, c.theirs.check))
    return "\n".join(lines)


PLOT_HEAD = """set terminal pngcairo size 1280,560 font ",10"
set output '%(png)s'
set datafile missing "?"
set multiplot layout 1,2 title "detach-utils bench: time against open fds on one loop filesystem (median of %(runs)s, bars: min-max)"
set xlabel "open fds on the filesystem"
set ylabel "seconds"
set grid
set key top left
set xrange [0:*]
set yrange [0:*]
"""


def write_plot(gp_path, png_path, rows):
    """bench.gp: a gnuplot script with its data inline; running it draws bench.png. False without gnuplot."""
    pins = [r for r in rows if r.load.kind == "pins"]
    runs = "/".join(sorted({str(len(r.result.samples)) for r in pins})) or "0"
    script = [PLOT_HEAD % {"png": os.path.basename(png_path), "runs": runs}]
    for state in ("attached", "detached"):
        series = {}
        for r in pins:
            if r.load.state == state:
                series.setdefault("%s (%s)" % (r.tool, r.side), []).append(r)
        plots = []
        for i, (title, points) in enumerate(series.items()):
            name = "$%s%d" % (state, i)
            script.append("%s << EOD" % name)
            for p in sorted(points, key=lambda r: r.load.fds):
                script.append("%d %.4f %.4f %.4f" % (p.load.fds, p.result.median, p.result.min, p.result.max))
            script.append("EOD")
            plots.append("%s using 1:2:3:4 with yerrorlines lw 2 title '%s'" % (name, title.replace("'", "")))
        script.append("set title '%s'" % ("attached" if state == "attached" else "after umount --lazy"))
        script.append("plot " + ", \\\n     ".join(plots) if plots else "plot 0 notitle")
    script.append("unset multiplot")
    with open(gp_path, "w") as f:
        f.write("\n".join(script) + "\n")
    if not shutil.which("gnuplot"):
        return False
    subprocess.run(["gnuplot", os.path.basename(gp_path)], cwd=os.path.dirname(gp_path) or ".", check=True)
    return True
