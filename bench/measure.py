# SPDX-License-Identifier: GPL-2.0-or-later
"""Timing commands side by side: wall time and the command's max RSS (wait4's rusage, through bench/timed_run),
several runs each, interleaved so that a change in the machine's load during a run hits every tool alike."""

import os
import statistics
import subprocess
from dataclasses import dataclass, field


@dataclass
class Sample:
    seconds: float
    max_rss_kib: int
    timed_out: bool


@dataclass
class Result:
    samples: list = field(default_factory=list)

    @property
    def timed_out(self):
        return any(s.timed_out for s in self.samples)

    def times(self):
        return [s.seconds for s in self.samples]

    @property
    def median(self):
        return statistics.median(self.times())

    @property
    def min(self):
        return min(self.times())

    @property
    def max(self):
        return max(self.times())

    @property
    def max_rss_kib(self):
        return max(s.max_rss_kib for s in self.samples)


def run_once(helper, argv, timeout, env=None):
    """One run of argv through bench/timed_run (`helper`), which forks it from a process of ~100 KiB so that its
    max RSS is its own, and times it without python's spawn cost. ENV: variables set for it (and the helper)."""
    full = dict(os.environ, **env) if env else None
    out = subprocess.run([helper, "%g" % timeout] + argv, capture_output=True, text=True, timeout=timeout + 30,
                         env=full)
    if out.returncode != 0:
        raise RuntimeError("cannot run %s: %s" % (argv[0], out.stderr.strip() or "exit %d" % out.returncode))
    seconds, rss, timed_out = out.stdout.split()
    return Sample(float(seconds), int(rss), timed_out == "1")


def side_by_side(helper, commands, repeats, timeout, warmup=False, min_seconds=0.0, max_rounds=500, envs=None):
    """{key: argv} -> {key: Result}: rounds that each run every command once, in an order that rotates from round
    to round; at least `repeats` rounds, and more (up to `max_rounds`) until every command has run for
    `min_seconds` in all, so that a 5 ms command gets a median of many runs, not of a few scheduler hiccups.
    A command that timed out is not run again. With `warmup`, one untimed run each first (caches, page-ins), for
    loads whose checks did not run the tools already. ENVS: {key: variables set for that command}."""
    keys = list(commands)
    envs = envs or {}
    if warmup:
        for key in keys:
            run_once(helper, commands[key], timeout, envs.get(key))
    results = {key: Result() for key in keys}
    rnd = 0
    while rnd < repeats or (rnd < max_rounds and min(sum(results[k].times()) for k in keys) < min_seconds):
        shift = rnd % len(keys)
        for key in keys[shift:] + keys[:shift]:
            if not results[key].timed_out:
                results[key].samples.append(run_once(helper, commands[key], timeout, envs.get(key)))
        rnd += 1
    return results
