#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The units pass `systemd-analyze verify` (with their ExecStart= pointing at the built tools, since the
installed ones may not be there), and detach-metrics.service's command line, run as the unit would, writes
its file. Prints TAP.

usage: units_test.py BINDIR_MAP UNIT...   (BINDIR_MAP: INSTALLED=BUILT,INSTALLED=BUILT)
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from tap import Tap, skip_all_or_fail  # noqa: E402
from unit_file import exec_start, read_unit  # noqa: E402


def main(argv):
    if shutil.which("systemd-analyze") is None:
        skip_all_or_fail("needs systemd-analyze")
    paths = dict(pair.split("=", 1) for pair in argv[1].split(","))
    t = Tap()
    with tempfile.TemporaryDirectory(prefix="units-test.") as d:
        for unit in argv[2:]:
            with open(unit) as f:
                text = f.read()
            for installed, built in paths.items():
                text = text.replace(installed, built)
            copy = os.path.join(d, os.path.basename(unit))
            with open(copy, "w") as f:
                f.write(text)
        for unit in argv[2:]:
            copy = os.path.join(d, os.path.basename(unit))
            p = subprocess.run(["systemd-analyze", "verify", "--man=no", copy], capture_output=True, text=True,
                               cwd=d)
            t.check("systemd-analyze verify %s: no error, no warning" % os.path.basename(unit),
                    p.returncode == 0 and not (p.stdout + p.stderr).strip(), p.stdout + p.stderr)

        service = next(u for u in argv[2:] if u.endswith("detach-metrics.service"))
        unit = read_unit(service)
        cmd = exec_start(unit)
        out = cmd[cmd.index("--output") + 1]
        t.equal("detach-metrics.service writes into the one directory it may write",
                os.path.dirname(out), unit[("Service", "ReadWritePaths")][0])
        t.equal("... the file node-exporter's textfile collector reads", os.path.basename(out), "detach_utils.prom")
        local = os.path.join(d, "detach_utils.prom")
        p = subprocess.run([paths.get(cmd[0], cmd[0])] + cmd[1:cmd.index(out)] + [local] + cmd[cmd.index(out) + 1:],
                           capture_output=True, text=True)
        t.check("its command line runs and writes the metrics", p.returncode == 0 and os.path.exists(local) and
                "detach_utils_scan_success" in open(local).read(), p.stderr)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
