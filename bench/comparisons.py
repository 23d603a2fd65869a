# SPDX-License-Identifier: GPL-2.0-or-later
"""What the bench compares. For each kind of load: the tools (ours, and the ones a user would run instead) and
which of ours is measured against which of theirs. A tool joins the bench by a Tool and its Comparisons here;
bench/run measures, checks and reports whatever these tables list.

Still to come:
  - umount --wait: its latency (bench/umount-wait times it on its own today) (from the umount of a pinned fs whose pinners then end, until the device is free)
    is a load kind of its own: each run uses up its mount, so that load needs a set-up before every run (mount,
    pinner, the kill) that the timing leaves out, and compares against what a script does today (umount --lazy,
    then retry until the device opens O_EXCL). Add it beside PinLoad and MountLoad in bench/run."""

import json
import re
from dataclasses import dataclass
from typing import Callable, Optional

OURS, THEIRS = "ours", "theirs"


@dataclass(frozen=True)
class Tool:
    name: str  # what a user types, with DEV for the device: the tool's label in the table, the CSV and the plot
    side: str  # OURS or THEIRS
    argv: Callable  # (env, load) -> the command that is timed
    # (env, load) -> (command, parser): a command whose output names the pinning processes, and the parser that
    # gets their pids from it; run once, outside the timing, to show that the tool finds what the others find.
    finds: Optional[Callable] = None
    # Environment variables for both commands: which source our tools read task pins from (DETACH_SCAN_SOURCE).
    env: Optional[dict] = None

    @property
    def key(self):
        return (self.side, self.name)


@dataclass(frozen=True)
class Comparison:
    ours: tuple  # Tool.key
    theirs: tuple
    # Checked once outside the timing: both print the same bytes (a drop-in replacement on the same load).
    same_output: bool = False

    @property
    def label(self):
        return "%s / %s" % (self.ours[1], self.theirs[1])


def int_tokens(text):
    """Every whole number in the output: fuser's pid list, `lsof -t`, `lsfd -o PID`."""
    return {int(t) for t in re.findall(r"\b\d+\b", text)}


def json_pids(text):
    """Every value of a "pid" key anywhere in a JSON document (our tools' -J, whatever its nesting)."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pid" and isinstance(value, int):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(text) if text.strip() else None)
    return found


def lsfd_query(load):
    # lsfd names a block device by its kernel name in SOURCE ("loop3"), not by its path
    return 'SOURCE == "%s"' % load.loop_name


# Our pin tools read task pins with BPF iterators where they load (DETACH_SCAN_SOURCE=bpf: a run that could
# not would fail rather than pass for one), and again from /proc (PROC_SUFFIX), each figure beside the other.
PROC_SUFFIX = " (/proc)"
OUR_PIN_TOOLS = ("findmnt --detached", "mkfs-guard DEV", "fuser -m DEV")


def our_pin_tools(source, suffix):
    env = {"DETACH_SCAN_SOURCE": source}
    return [
        Tool("findmnt --detached" + suffix, OURS, lambda e, l: [e.findmnt, "--detached"],
             lambda e, l: ([e.findmnt, "--detached", "-J"], json_pids), env),
        Tool("mkfs-guard DEV" + suffix, OURS, lambda e, l: [e.mkfs_guard, l.device],
             lambda e, l: ([e.mkfs_guard, "-J", l.device], json_pids), env),
        Tool("fuser -m DEV" + suffix, OURS, lambda e, l: [e.fuser, "-m", l.device],
             lambda e, l: ([e.fuser, "-m", l.device], int_tokens), env),
    ]


def pin_tools(env):
    """Who holds the loop device: N processes x M fds on its filesystem, attached and lazily detached. Ours from
    each source: BPF (or auto, when env.bpf is false: the build or the host cannot load it), then /proc."""
    return our_pin_tools("bpf" if env.bpf else "auto", "") + our_pin_tools("proc", PROC_SUFFIX) + [
        Tool("fuser -m DEV", THEIRS, lambda e, l: ["fuser", "-m", l.device],
             lambda e, l: (["fuser", "-m", l.device], int_tokens)),
        Tool("lsof DEV", THEIRS, lambda e, l: ["lsof", l.device],
             lambda e, l: (["lsof", "-t", l.device], int_tokens)),
        Tool("lsfd -Q SOURCE", THEIRS, lambda e, l: ["lsfd", "-Q", lsfd_query(l)],
             lambda e, l: (["lsfd", "-n", "-o", "PID", "-Q", lsfd_query(l)], int_tokens)),
    ]


# The issues' targets: findmnt --detached (issue 8) and our fuser -m (issue 10) at most 0.5x psmisc's fuser -m
# from /proc; with BPF iterators (issue 20) all three at most 0.1x.
PIN_COMPARISONS = [Comparison((OURS, ours), (THEIRS, theirs))
                   for ours in ("findmnt --detached", "mkfs-guard DEV")
                   for theirs in ("fuser -m DEV", "lsof DEV", "lsfd -Q SOURCE")]
PIN_COMPARISONS.append(Comparison((OURS, "fuser -m DEV"), (THEIRS, "fuser -m DEV")))
PIN_COMPARISONS += [Comparison((OURS, ours + PROC_SUFFIX), (THEIRS, "fuser -m DEV")) for ours in OUR_PIN_TOOLS]

FINDMNT_MODES = (("findmnt", []), ("findmnt -l", ["-l"]), ("findmnt -J", ["-J"]))


def mount_tools(env):
    """The mount table: our findmnt against util-linux's, on the same libmount and libsmartcols."""
    tools = []
    for name, args in FINDMNT_MODES:
        tools.append(Tool(name, OURS, lambda e, l, a=args: [e.findmnt] + a))
        tools.append(Tool(name, THEIRS, lambda e, l, a=args: [e.ul_findmnt] + a))
    return tools


MOUNT_COMPARISONS = [Comparison((OURS, name), (THEIRS, name), same_output=True) for name, _ in FINDMNT_MODES]
