#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""detach-journal.service without systemd: its ExecStart= command line started as the unit would (its
capability bounding set, no new privileges, its umask, its runtime directory, stdout captured as the journal
would take it), then a filesystem mounted, pinned, and detached with a plain umount2(MNT_DETACH) as kubelet or
systemd make it (not our umount); `findmnt --detached` must then show the former mount point. Prints TAP.

usage: journal_service_test.py UNIT_FILE INSTALLED_FINDMNT BUILT_FINDMNT
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import lazy_detach  # noqa: E402
from unit_file import exec_start, read_unit  # noqa: E402

UNIT, INSTALLED, FINDMNT = sys.argv[1], sys.argv[2], sys.argv[3]


def as_the_unit_would(unit, argv):
    """ARGV run under the unit's CapabilityBoundingSet= and NoNewPrivileges= (through setpriv)."""
    caps = " ".join(unit.get(("Service", "CapabilityBoundingSet"), [])).split()
    prefix = ["setpriv"]
    if caps:
        prefix.append("--bounding-set=-all," + ",".join("+" + c.lower().removeprefix("cap_") for c in caps))
    if unit.get(("Service", "NoNewPrivileges"), ["no"])[-1] == "yes":
        prefix.append("--no-new-privs")
    return prefix + ["--"] + argv


def main():
    t = lazy_detach.start_root_test(["setpriv"])
    unit = read_unit(UNIT)
    argv = exec_start(unit)
    t.equal("the unit runs the installed findmnt", argv[0], INSTALLED)
    t.check("the unit runs it as the watcher: --detached --poll", "--detached" in argv and "--poll" in argv, argv)
    t.check("the unit keeps the journal's directory across restarts",
            unit.get(("Service", "RuntimeDirectory")) == ["detach-utils"] and
            unit.get(("Service", "RuntimeDirectoryPreserve")) == ["yes"], unit)
    t.check("the unit restarts it on failure", unit.get(("Service", "Restart")) == ["on-failure"], unit)
    t.check("the unit writes nothing but /run/detach-utils", unit.get(("Service", "ProtectSystem")) == ["strict"]
            and ("Service", "ReadWritePaths") not in unit, unit)

    # What systemd does before ExecStart=: the runtime directory (0755), the umask.
    run_dir = "/run/" + unit[("Service", "RuntimeDirectory")][0]
    os.makedirs(run_dir, mode=0o755, exist_ok=True)
    os.umask(int(unit.get(("Service", "UMask"), ["0022"])[-1], 8))

    with lazy_detach.LazyDetach(mount=False) as s:
        rows = os.path.join(s.work, "journal-of-systemd")
        with open(rows, "w") as out:
            watcher = s.spawn(as_the_unit_would(unit, [FINDMNT] + argv[1:]), stdout=out, stderr=subprocess.STDOUT)
        t.check("the watcher is up (its fanotify group open)",
                lazy_detach.wait_until(lambda: lazy_detach.holds_fanotify(watcher.pid)), open(rows).read())
        # As on a host: the filesystem comes after the watcher, something uses it, and something other than
        # our umount detaches it (once the watcher has looked at the mounts since: until_watched).
        s.mount()
        s.until_watched(rows)
        s.pin()
        s.detach()
        shown = lazy_detach.wait_until(lambda: s.mnt in subprocess.run(
            [FINDMNT, "--detached", "-rno", "TARGET"], capture_output=True, text=True).stdout)
        listing = subprocess.run([FINDMNT, "--detached", "-rn", "-o", "SOURCE,TARGET"], capture_output=True,
                                 text=True).stdout
        t.check("findmnt --detached shows the former mount point of the loop device",
                shown and (s.loop + " " + s.mnt) in listing.splitlines(), listing)
        with open(os.path.join(run_dir, "journal")) as f:
            journal = f.read()
        t.check("the journal holds the detach, recorded by the watcher",
                re.search(r"target=%s\t.*" % re.escape(s.mnt.replace(" ", "\\040")), journal) and
                "by=findmnt\\040--poll" in journal, journal)
        t.check("the journal is readable by all (0644) under the unit's umask",
                oct(os.stat(os.path.join(run_dir, "journal")).st_mode & 0o777) == oct(0o644))
        lazy_detach.wait_until(lambda: 'ACTION="detach"' in open(rows).read())
        with open(rows) as f:
            text = f.read()
        t.check("its stdout (the system journal's) has the detach row, with the target",
                re.search(r'^ACTION="detach" .*TARGET="%s"' % re.escape(s.mnt), text, re.M), text)
        t.check("the watcher is still running", watcher.poll() is None, text)
    shutil.rmtree(run_dir, ignore_errors=True)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
