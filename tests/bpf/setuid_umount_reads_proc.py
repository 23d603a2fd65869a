#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The setuid umount, run by a user who is not root, never uses BPF: installed setuid root in a temporary
prefix (as a package installs it), run by nobody on a busy `users` mount with DETACH_SCAN_SOURCE=bpf in its
environment and -v, it still explains "target is busy" from /proc and says so (a scan that tried BPF would
fail, forced, and say that instead). Root running the same binary reads with BPF where the build has it.

usage: setuid_umount_reads_proc.py OURS REFERENCE BPF_BUILT(yes|no)   (TAP)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "umount"))
import differential as diff  # noqa: E402  (argv: OURS REFERENCE, as differential.py reads it)

BPF_BUILT = sys.argv[3] == "yes"
FORCED = {"DETACH_SCAN_SOURCE": "bpf"}


def main():
    root = diff.enter_private_world("umount-bpf")
    if isinstance(root, int):
        return root
    ours = diff.setuid_copy(root)
    print("1..4")
    failed = 0

    def report(n, ok, what, detail):
        nonlocal failed
        failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, what))
        if not ok:
            print("# " + detail.replace("\n", "\n# "))

    env = diff.Env(root)
    try:
        names = diff.user_mounts(env)
        env.pin(names["u"])
        out, err, rc = diff.run(ours, ["-v", names["u"]], diff.NOBODY, FORCED)
        err = env.normalise(err)
        report(1, rc == 32 and "target is busy." in err, "as nobody: the `users` mount is busy (exit 32)",
               "exit %d\n%s" % (rc, err))
        report(2, "task pins read from /proc (the /proc source was asked for)\n" in err,
               "as nobody, DETACH_SCAN_SOURCE=bpf: the explanation was read from /proc, never with BPF", err)
        out, err, rc = diff.run(ours, ["-v", names["u"]], None, FORCED)
        err = env.normalise(err)
        expected = "task pins read by BPF iterators (loaded by the in-kernel loader)\n" if BPF_BUILT else \
            "target is busy."
        report(3, rc == 32 and expected in err, "as root, the same binary: %s" % expected.strip(),
               "exit %d\n%s" % (rc, err))
        report(4, any(m[0] == names["u"] for m in env.effect()[0]),
               "the busy mount is still mounted", str(env.effect()))
    finally:
        env.teardown()
        diff.leave_private_world(root)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
