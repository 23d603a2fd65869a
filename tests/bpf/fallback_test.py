#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Where BPF cannot be used, the scan reads /proc instead, says why, and gives the same answer; where BPF
must not be used, it never calls bpf(2). Each case runs snapshot-dump (tests/bpf/snapshot_dump_main.cc: its
first line names the source and why) or a tool, on a lazily detached filesystem pinned by a cwd and an fd:

  - as root, the BPF source, from either loader (DETACH_BPF_LOADER);
  - forced to /proc (DETACH_SCAN_SOURCE=proc), under a seccomp filter that kills on any bpf(2) call but the census's
    read-only queries of BPF links (tests/bpf/without_bpf.cc);
  - as nobody, under the same filter: auto reads /proc, DETACH_SCAN_SOURCE=bpf fails and says why;
  - loading made to fail: every bpf(2) refused (EPERM), or only program loads (EACCES, as the verifier
    refuses); auto falls back with the same pins, bpf fails;
  - the tools' -v line: which source and why.

usage: fallback_test.py SNAPSHOT_DUMP WITHOUT_BPF FINDMNT MKFS_GUARD FUSER BPF_BUILT(yes|no)   (TAP)
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import lazy_detach  # noqa: E402

DUMP, WITHOUT_BPF, FINDMNT, MKFS_GUARD, FUSER = sys.argv[1:6]
BPF_BUILT = sys.argv[6] == "yes"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
NOT_ROOT = "not root: CAP_BPF and CAP_PERFMON are missing"


def run(argv, env=None):
    full = dict(os.environ)
    full.pop("DETACH_SCAN_SOURCE", None)
    full.pop("DETACH_BPF_LOADER", None)
    full.update(env or {})
    p = subprocess.run(argv, capture_output=True, text=True, errors="replace", env=full, timeout=120)
    return p.returncode, p.stdout, p.stderr


def first_line(text):
    return text.split("\n", 1)[0]


def pins(text):
    """The dump without its first line (the source): what must not depend on the source."""
    return text.split("\n", 1)[1] if "\n" in text else ""


def main():
    t = lazy_detach.start_root_test(["setpriv"])
    with lazy_detach.LazyDetach() as s:
        os.chmod(s.work, 0o755)
        cwd = s.pin()
        held = os.path.join(s.mnt, "held")
        fd = s.spawn(["sh", "-c", "exec sleep 3600 7>>'%s'" % held])
        lazy_detach.wait_until(lambda: os.path.exists("/proc/%d/fd/7" % fd.pid))
        dev = "%d:%d" % divmod(os.stat(s.mnt).st_dev, 256)  # loop devices: minor < 256
        s.detach()
        dump = [DUMP, "--pid", str(cwd.pid), "--pid", str(fd.pid), "--device", dev]

        rc, root, err = run(dump)
        t.equal("as root: the snapshot is taken", rc, 0)
        expected = "source: bpf: loaded by the in-kernel loader" if BPF_BUILT else \
            "source: proc: this build has no BPF source"
        t.equal("as root: " + expected, first_line(root), expected)
        t.check("as root: the pinners' cwd and fd are in the snapshot",
                "pin cwd pid=%d " % cwd.pid in root and "pin fd pid=%d tid=0 fd=7 " % fd.pid in root, root)
        if BPF_BUILT:
            rc, out, err = run(dump, {"DETACH_BPF_LOADER": "libbpf"})
            t.equal("as root, DETACH_BPF_LOADER=libbpf: loaded by libbpf", first_line(out),
                    "source: bpf: loaded by libbpf")
            t.equal("as root, loaded by libbpf: the same pins", pins(out), pins(root))
        else:
            for d in ("as root, DETACH_BPF_LOADER=libbpf: loaded by libbpf", "as root, loaded by libbpf: the same pins"):
                t.skip(d, "this build has no BPF source")

        rc, out, err = run([WITHOUT_BPF, "--kill"] + dump, {"DETACH_SCAN_SOURCE": "proc"})
        t.equal("DETACH_SCAN_SOURCE=proc: no bpf(2) call of the BPF source (the seccomp filter kills on one)", rc, 0)
        t.equal("DETACH_SCAN_SOURCE=proc: says so", first_line(out), "source: proc: the /proc source was asked for")
        t.equal("DETACH_SCAN_SOURCE=proc: the same pins", pins(out), pins(root))

        # Without the BPF source in the build, that is the reason first, for root and nobody alike.
        why_not = NOT_ROOT if BPF_BUILT else "this build has no BPF source"
        rc, out, err = run([WITHOUT_BPF, "--kill"] + NOBODY + dump)
        t.equal("as nobody: no bpf(2) call of the BPF source", rc, 0)
        t.equal("as nobody: /proc, because " + why_not, first_line(out), "source: proc: " + why_not)
        rc, out, err = run([WITHOUT_BPF, "--kill"] + NOBODY + dump, {"DETACH_SCAN_SOURCE": "bpf"})
        t.equal("as nobody, DETACH_SCAN_SOURCE=bpf: fails (exit 1), without a bpf(2) call of the BPF source", rc, 1)
        t.equal("as nobody, DETACH_SCAN_SOURCE=bpf: says why", err.strip(),
                "snapshot-dump: DETACH_SCAN_SOURCE=bpf: BPF cannot be used: " + why_not)

        for mode, errno_text in (([], "Operation not permitted"), (["--refuse-loads"], "Permission denied")):
            what = "bpf(2) refused" if not mode else "program loads refused"
            rc, out, err = run([WITHOUT_BPF] + mode + dump)
            t.equal("%s: the snapshot is taken from /proc" % what, (rc, first_line(out)[:14]), (0, "source: proc: "))
            if BPF_BUILT:
                t.check("%s: says why: neither loader could load" % what,
                        first_line(out).startswith("source: proc: the BPF programs did not load (bpf task_pins: "
                                                   "in-kernel loader: %s; libbpf: " % errno_text), first_line(out))
            else:
                t.skip("%s: says why: neither loader could load" % what, "this build has no BPF source")
            t.equal("%s: the same pins" % what, pins(out), pins(root))
            rc, out, err = run([WITHOUT_BPF] + mode + dump, {"DETACH_SCAN_SOURCE": "bpf"})
            t.check("%s, DETACH_SCAN_SOURCE=bpf: fails and says why" % what,
                    rc == 1 and err.startswith("snapshot-dump: DETACH_SCAN_SOURCE=bpf: BPF cannot be used: "),
                    "exit %d, stderr %r" % (rc, err))

        # The tools' one line under -v: which source, and why.
        said = "task pins read by BPF iterators (loaded by the in-kernel loader)" if BPF_BUILT else \
            "task pins read from /proc (this build has no BPF source)"
        for name, argv in (("findmnt --detached --verbose", [FINDMNT, "--detached", "--verbose"]),
                           ("mkfs-guard -v", [MKFS_GUARD, "-v", s.loop]),
                           ("fuser --detached -v", [FUSER, "--detached", "-v"])):
            tool = os.path.basename(argv[0])
            rc, out, err = run(argv)
            t.check("%s says: %s" % (name, said), "%s: %s\n" % (tool, said) in err, err)
            rc, out, err = run([WITHOUT_BPF] + argv)
            t.check("%s, bpf(2) refused, says: task pins read from /proc (...)" % name,
                    "%s: task pins read from /proc (" % tool in err, err)
            rc, out, err = run([WITHOUT_BPF, "--kill"] + argv[:1] + argv[1:], {"DETACH_SCAN_SOURCE": "proc"})
            t.check("%s, DETACH_SCAN_SOURCE=proc: no bpf(2) call of the BPF source, and says so" % name,
                    rc != -31 and "%s: task pins read from /proc (the /proc source was asked for)\n" % tool in err,
                    "exit %d\n%s" % (rc, err))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
