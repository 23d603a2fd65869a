# SPDX-License-Identifier: GPL-2.0-or-later
"""The census of kernel pins (overlay layers, io_uring files, sockets, probes, claimed devices, ...): its share of
our tools' scan time, which issue 19 caps at 5% on the 200k-fd load. Measured within each run: with
DETACH_SCAN_DEBUG set, the scan prints each phase's time (libcommon/scan/phase_clock.h) and the census's phases
are named "census/...". A share taken inside one run is free of the noise between runs that a before/after
comparison on a shared machine has."""

import os
import re
import statistics
import subprocess
from dataclasses import dataclass

LIMIT = 0.05
PHASE = re.compile(r"^detach-scan: +([0-9.]+) ms  (.*)$")


@dataclass
class Share:
    load: object  # report.Load
    tool: str
    shares: list  # census / total, one per run
    census_ms: list
    total_ms: list
    phases_ms: dict  # census phase -> its ms in each run

    def largest(self):
        """The census phase with the largest median, and that median: where to look when the share is high."""
        if not self.phases_ms:
            return "-"
        name, values = max(self.phases_ms.items(), key=lambda kv: statistics.median(kv[1]))
        return "%s %.1f" % (name[len("census/"):], statistics.median(values))

    def cell(self, values, fmt):
        return fmt % statistics.median(values) + " (" + fmt % min(values) + "-" + fmt % max(values) + ")"


def phases(stderr):
    """({census phase: ms}, total ms) of one run's DETACH_SCAN_DEBUG lines (a phase timed twice summed); None
    when it printed no total (no scan ran)."""
    census, total = {}, None
    for line in stderr.splitlines():
        m = PHASE.match(line)
        if not m:
            continue
        ms, name = float(m.group(1)), m.group(2)
        if name == "total":
            total = ms
        elif name.startswith("census/"):
            census[name] = census.get(name, 0.0) + ms
    return None if total is None else (census, total)


def measure(env, load, tools, runs, timeout):
    """One Share per tool (ours only: they are the ones that scan), RUNS runs each, untimed otherwise."""
    found = []
    for tool in tools:
        argv = tool.argv(env, load.target)
        share = Share(load, tool.name, [], [], [], {})
        for _ in range(runs):
            out = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout,
                                 env=dict(os.environ, DETACH_SCAN_DEBUG="1", **(tool.env or {})))
            got = phases(out.stderr)
            if got is None:
                raise RuntimeError("%s printed no scan phases (DETACH_SCAN_DEBUG): %s" % (tool.name, out.stderr[-300:]))
            census, total = sum(got[0].values()), got[1]
            for name, ms in got[0].items():
                share.phases_ms.setdefault(name, []).append(ms)
            share.census_ms.append(census)
            share.total_ms.append(total)
            share.shares.append(census / total if total > 0 else 0.0)
        found.append(share)
    return found


def table(shares):
    """A Markdown table: each tool's census share on each load, against the 5% cap."""
    lines = ["| load | tool | census ms: median (min-max) | scan ms: median (min-max) | census share | at most %d%% |"
             " largest census phase, ms |" % round(LIMIT * 100), "|---|---|---|---|---|---|---|"]
    for s in shares:
        median = statistics.median(s.shares)
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            s.load.short(), s.tool, s.cell(s.census_ms, "%.1f"), s.cell(s.total_ms, "%.1f"),
            s.cell([100 * x for x in s.shares], "%.1f%%"), "yes" if median <= LIMIT else "NO", s.largest()))
    return "\n".join(lines)
