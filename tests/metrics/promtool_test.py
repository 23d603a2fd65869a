#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""detach-metrics on a real lazily detached loop mount that a process pins: the file it writes passes
`promtool check metrics` and says what happened (the device, one pinner, the former mount point and its age
from the journal), and it is replaced whole. Prints TAP.

And the alert rules shipped beside it pass `promtool check rules`.

usage: promtool_test.py DETACH_METRICS FINDMNT RULES
"""
import os
import re
import stat
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import lazy_detach  # noqa: E402

METRICS, FINDMNT, RULES = sys.argv[1], sys.argv[2], sys.argv[3]


def sample(text, name, **labels):
    """The value of the sample NAME whose labels include LABELS, or None."""
    for line in text.splitlines():
        m = re.match(r"^%s\{(.*)\} (\S+)$" % re.escape(name), line)
        if m and all('%s="%s"' % kv in m.group(1) for kv in labels.items()):
            return float(m.group(2))
    return None


def main():
    t = lazy_detach.start_root_test(["promtool"])
    check = subprocess.run(["promtool", "check", "rules", RULES], capture_output=True, text=True)
    t.check("promtool check rules accepts the shipped alerts", check.returncode == 0, check.stdout + check.stderr)
    with lazy_detach.LazyDetach() as s:
        # The journal's writer, as detach-journal.service runs it, so that the detach has a target and a time.
        rows = os.path.join(s.work, "rows")
        with open(rows, "w") as out:
            watcher = s.spawn([FINDMNT, "--detached", "--poll", "--pairs"], stdout=out)
        lazy_detach.wait_until(lambda: lazy_detach.holds_fanotify(watcher.pid))
        s.until_watched(rows)
        s.pin()
        s.detach()
        recorded = lazy_detach.wait_until(lambda: s.mnt in subprocess.run(
            [FINDMNT, "--detached", "-rno", "TARGET"], capture_output=True, text=True).stdout)
        t.check("the watcher recorded the detach", recorded)

        out_dir = os.path.join(s.work, "node-exporter")
        os.mkdir(out_dir)
        prom = os.path.join(out_dir, "detach_utils.prom")
        with open(prom, "w") as f:
            f.write("stale\n")
        run = subprocess.run([METRICS, "--output", prom], capture_output=True, text=True)
        t.check("detach-metrics --output exits 0", run.returncode == 0, run.stderr)
        with open(prom) as f:
            text = f.read()
        check = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
        t.check("promtool check metrics accepts the file, lint included", check.returncode == 0 and not (
            check.stdout + check.stderr).strip(), check.stdout + check.stderr)

        t.equal("one detached mount of the loop device, by fs type",
                sample(text, "detach_utils_detached_mounts", device=s.loop, fstype="ext2"), 1.0)
        t.equal("its pinner: one process",
                sample(text, "detach_utils_detached_mount_pinners", device=s.loop, target=s.mnt), 1.0)
        age = sample(text, "detach_utils_detached_mount_age_seconds", device=s.loop, target=s.mnt)
        t.check("its age since the detach, from the journal", age is not None and age >= 0, "age: %r" % age)
        t.equal("the scan succeeded", re.search(r"^detach_utils_scan_success 1$", text, re.M) is not None, True)
        for kind in ("denied", "vanished", "namespaces_unlisted"):
            t.check("the scan gaps: %s" % kind, sample(text, "detach_utils_scan_gaps", kind=kind) is not None, text)

        mode = stat.S_IMODE(os.stat(prom).st_mode)
        t.equal("the file is world-readable (0644), for node-exporter", oct(mode), oct(0o644))
        t.equal("no temp file is left beside it", sorted(os.listdir(out_dir)), ["detach_utils.prom"])

        run = subprocess.run([METRICS, "--output", os.path.join(s.work, "no-such-dir", "x.prom")],
                             capture_output=True, text=True)
        t.check("a directory it cannot write to fails with a message", run.returncode == 1 and "x.prom" in run.stderr,
                run.stderr)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
