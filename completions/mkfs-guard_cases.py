# SPDX-License-Identifier: GPL-2.0-or-later
"""mkfs-guard's own completion cases (test-completion runs them in each shell, after the generic ones)."""
import os
import stat


def is_block_device(path):
    try:
        return stat.S_ISBLK(os.stat(path).st_mode)
    except OSError:
        return False


def run(t, shell, binary):
    got = t.complete(["/dev/"])
    t.check("%s: the operand is a block device (no /dev/loop-control)" % shell,
            got and "/dev/loop-control" not in got and all(is_block_device(d) for d in got), got)
    got = t.complete(["--", "mkfs.ext"])
    t.check("%s: after --, the mkfs command" % shell, "mkfs.ext4" in got and all(g.startswith("mkfs.ext") for g in got),
            got)
    got = t.complete(["--", "mkfs.ext4", "-L", "data", "/dev/lo"])
    t.check("%s: after -- mkfs.ext4, the command's own arguments (files and devices)" % shell,
            any(g.startswith("/dev/loop") for g in got), got)
    got = t.complete(["-J", "-"])
    t.check("%s: the options, and -- before a command" % shell, {"--quiet", "--"} <= set(got) and "-o" not in got,
            got)
