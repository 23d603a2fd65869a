#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every tool prints the same bytes whichever source gave its task pins: findmnt --detached (tree, -J, -l with
the pinner columns, --per-pin), mkfs-guard (text, -J), fuser (-m, -vm, --detached -v), and umount's "target is
busy" explanation, each run with DETACH_SCAN_SOURCE=bpf and with DETACH_SCAN_SOURCE=proc, on two loop
filesystems: one attached and one lazily detached, pinned by cwds, fds read and written, an exe and a mapping.
Only the -v line that names the source may differ.

usage: same_tool_output_test.py FINDMNT MKFS_GUARD FUSER UMOUNT   (TAP)
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import lazy_detach  # noqa: E402

FINDMNT, MKFS_GUARD, FUSER, UMOUNT = sys.argv[1:5]


def run(argv, source):
    env = dict(os.environ, DETACH_SCAN_SOURCE=source)
    env.pop("DETACH_BPF_LOADER", None)
    p = subprocess.run(argv, capture_output=True, env=env, timeout=120)
    err = b"".join(line for line in p.stderr.splitlines(keepends=True) if b"task pins read " not in line)
    # mkfs-guard -v counts the host's processes and pins, which come and go between two runs.
    out = re.sub(rb"(?m)^(checked: (mount namespaces|pins): ).*$", rb"\1(host-wide counts)", p.stdout)
    return p.returncode, out, err


def pinned(s, name):
    """Pinners of S's filesystem: a cwd, a writer, a reader of several fds, an exe run from it and a mapping."""
    procs = [s.pin()]
    data = os.path.join(s.mnt, "data")
    with open(data, "w") as f:
        f.write("x" * 8192)
    procs.append(s.spawn(["sh", "-c", "exec sleep 3600 7>>'%s' 8<'%s' 9<'%s' 10<'%s'" % (data, data, data, data)]))
    exe = os.path.join(s.mnt, "sleep-" + name)
    shutil.copy("/usr/bin/sleep", exe)
    procs.append(s.spawn([exe, "3600"]))
    procs.append(s.spawn(["python3", "-c", "import mmap,sys,time\nf=open(sys.argv[1],'rb')\n"
                          "m=mmap.mmap(f.fileno(),0,prot=mmap.PROT_READ)\nf.close()\ntime.sleep(3600)", data]))
    lazy_detach.wait_until(lambda: all(os.path.exists("/proc/%d/maps" % p.pid) for p in procs))
    lazy_detach.wait_until(lambda: any(data in open("/proc/%d/maps" % procs[-1].pid).read() for _ in [0]))
    return procs


def main():
    t = lazy_detach.start_root_test(["python3"])
    with lazy_detach.LazyDetach() as detached, lazy_detach.LazyDetach() as attached:
        pinned(detached, "d")
        pinned(attached, "a")
        detached.detach()
        cases = [
            ("findmnt --detached", [FINDMNT, "--detached"]),
            ("findmnt --detached -J", [FINDMNT, "--detached", "-J"]),
            ("findmnt --detached -l -o pinner columns",
             [FINDMNT, "--detached", "-l", "-o", "SOURCE,UNIQ-ID,PINS,PIDS,PID,COMMAND,USER,UNIT,HOW,PINNERS"]),
            ("findmnt --detached --per-pin -J", [FINDMNT, "--detached", "--per-pin", "-J"]),
            ("findmnt --detached --verbose", [FINDMNT, "--detached", "--verbose"]),
            ("mkfs-guard DETACHED", [MKFS_GUARD, detached.loop]),
            ("mkfs-guard -J DETACHED", [MKFS_GUARD, "-J", detached.loop]),
            ("mkfs-guard -v ATTACHED", [MKFS_GUARD, "-v", attached.loop]),
            ("mkfs-guard -J ATTACHED", [MKFS_GUARD, "-J", attached.loop]),
            ("fuser -m DETACHED", [FUSER, "-m", detached.loop]),
            ("fuser -vm ATTACHED", [FUSER, "-vm", attached.loop]),
            ("fuser -vm ATTACHED's mount point", [FUSER, "-vm", attached.mnt]),
            ("fuser --detached -v", [FUSER, "--detached", "-v"]),
            ("umount -v ATTACHED (busy)", [UMOUNT, "-v", attached.mnt]),
        ]
        for name, argv in cases:
            bpf, proc = run(argv, "bpf"), run(argv, "proc")
            t.check("%s: the same output from both sources" % name, bpf == proc,
                    "bpf:  %r\nproc: %r" % (bpf, proc))
        rc, out, err = run([FINDMNT, "--detached", "-J"], "bpf")
        t.check("findmnt --detached -J names the detached filesystem's four pinners",
                rc == 0 and out.count(b'"pid":') >= 4, out.decode(errors="replace"))
        rc, out, err = subprocess.run([FINDMNT, "--detached", "--verbose"], capture_output=True,
                                      env=dict(os.environ, DETACH_SCAN_SOURCE="bpf")).returncode, b"", b""
        t.check("umount: the attached filesystem is still mounted (it was busy)",
                subprocess.run(["mountpoint", "-q", attached.mnt]).returncode == 0)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
