# SPDX-License-Identifier: GPL-2.0-or-later
"""fuser's own completion cases (test-completion runs them in each shell, after the generic ones).

The fixed words (the -n spaces) and the signal names are checked against the tool, which must accept each it
is offered; after --detached, the operands must be the device and former mount point of a real lazily
detached, pinned loop mount (root; skipped otherwise, failed under CI=true).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
import lazy_detach  # noqa: E402


def run_tool(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)


def fixed_words(t, shell, binary):
    got = t.complete(["-n", ""])
    t.equal("%s: -n offers the three spaces" % shell, got, ["file", "tcp", "udp"])
    t.check("%s: fuser accepts every space it offers" % shell,
            all("Invalid namespace" not in run_tool(binary, "-s", "-n", w, "1").stderr for w in got), got)
    got = t.complete(["-k", "-H"])
    t.equal("%s: -H offers -HUP" % shell, got, ["-HUP"])
    got = t.complete(["-k", "-S"])
    t.check("%s: -S offers the signals that start with S, each one fuser takes" % shell,
            {"-SEGV", "-STOP", "-SYS"} <= set(got) and all(
                "unknown signal" not in run_tool(binary, "-s", w, "/").stderr for w in got), got)
    got = t.complete(["-n", "tcp", ""])
    t.equal("%s: a port has nothing to offer" % shell, got, [])


def detached(t, shell, binary):
    description = "--detached offers the detached filesystem's device and former mount point"
    missing = lazy_detach.missing_for_root_test(["losetup", "mkfs.ext2", "mount", "umount"])
    findmnt = os.path.join(os.path.dirname(os.path.dirname(binary)), "findmnt", "findmnt")
    if not os.access(findmnt, os.X_OK):
        missing.append(findmnt)
    if missing:
        lazy_detach.skip_or_fail_cases(t, ["%s: %s" % (shell, description)], missing)
        return
    with lazy_detach.LazyDetach() as s:
        s.journaled_detach(findmnt)
        lazy_detach.wait_until(lambda: s.mnt in run_tool(binary, "--detached", "-v").stderr)
        got = t.complete(["--detached", s.work + "/"]) + t.complete(["--detached", "/dev/loop"])
        t.check("%s: %s" % (shell, description), s.loop in got and s.mnt in got,
                "offered %s\nfuser --detached -v said:\n%s%s" % (
                    got, run_tool(binary, "--detached", "-v").stderr, s.watch_record()))


def run(t, shell, binary):
    fixed_words(t, shell, binary)
    detached(t, shell, binary)
