# SPDX-License-Identifier: GPL-2.0-or-later
"""findmnt's own completion cases (test-completion runs them in each shell, after the generic ones).

The fixed words the templates offer (directions, --poll actions, --kernel methods) are checked against the
tool, which must accept each; lists the tool reports (mount points, sources, detached mounts) are compared
with what the tool prints. The --detached cases make a real lazily detached, pinned loop mount whose detach
the watcher recorded (root; skipped otherwise, failed under CI=true).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
import lazy_detach  # noqa: E402


def cells(out):
    """The cells of raw output, as the completions read them: \\xNN decoded."""
    found = set()
    for line in out.splitlines():
        for cell in line.split(" "):
            if cell:
                found.add(cell.encode().decode("unicode_escape").encode("latin-1").decode("utf-8", "replace"))
    return found


def values(binary, *args):
    """What the tool reports, as the completions read it."""
    return cells(subprocess.run([binary, *args], capture_output=True, text=True).stdout)


def complete_recording(t, words, s, binary):
    """The completion of WORDS, and the cells of what findmnt printed for it meanwhile: a findmnt first on
    PATH that runs BINARY and keeps a copy of its output."""
    bin_dir, told = os.path.join(s.work, "bin"), os.path.join(s.work, "told")
    os.makedirs(bin_dir, exist_ok=True)
    wrapper = os.path.join(bin_dir, "findmnt")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\n"%s" "$@" | tee -a "%s"\n' % (os.path.abspath(binary), told))
    os.chmod(wrapper, 0o755)
    open(told, "w").close()
    path = t.sh.env["PATH"]
    t.sh.env["PATH"] = bin_dir + ":" + path
    try:
        got = t.complete(words)
    finally:
        t.sh.env["PATH"] = path
    with open(told, errors="replace") as f:
        return got, cells(f.read())


def accepted(binary, *args):
    return subprocess.run([binary, *args], capture_output=True).returncode == 0


def fixed_words(t, shell, binary):
    got = t.complete(["-d", ""])
    t.equal("%s: -d offers forward and backward" % shell, got, ["backward", "forward"])
    t.check("%s: findmnt accepts every -d it offers" % shell,
            all(accepted(binary, "-d", w, "-n", "-o", "TARGET", "/") for w in got), got)
    got = t.complete(["--poll="])
    t.equal("%s: --poll= offers the four actions" % shell, got,
            ["--poll=mount", "--poll=move", "--poll=remount", "--poll=umount"])
    t.check("%s: findmnt accepts every --poll action it offers" % shell,
            all(accepted(binary, w, "-w", "1") for w in got), got)
    got = t.complete(["--kernel="])
    t.equal("%s: --kernel= offers mountinfo and listmount" % shell, got, ["--kernel=listmount", "--kernel=mountinfo"])
    t.check("%s: findmnt accepts every --kernel method it offers" % shell,
            all(accepted(binary, w, "-n", "-o", "TARGET", "/") for w in got), got)


def lists(t, shell, binary):
    got = t.complete(["-o", "MAJ"])
    t.equal("%s: -o MAJ completes MAJ:MIN, colon and all" % shell, got, ["MAJ:MIN"])
    got = t.complete(["-o", "+SOURCE,FS"])
    t.equal("%s: -o +SOURCE,FS goes on after the + and the comma" % shell, got,
            ["+SOURCE,FS-OPTIONS", "+SOURCE,FSROOT", "+SOURCE,FSTYPE"])
    with open("/proc/filesystems") as f:
        types = sorted({line.split()[-1] for line in f if line.split()[-1].startswith("ext")})
    t.equal("%s: -t ext offers the ext types of /proc/filesystems" % shell, t.complete(["-t", "ext"]), types)
    got = t.complete(["-S", "/dev/"])
    mounted = {v for v in values(binary, "-rno", "SOURCE") if v.startswith("/dev/")}
    t.check("%s: -S /dev/ offers block devices and mounted sources only (no /dev/loop-control)" % shell,
            got and "/dev/loop-control" not in got and all(
                os.path.exists(d) and (os.stat(d).st_mode & 0o170000 == 0o060000) or d in mounted for d in got),
            got)
    got = t.complete(["-T", ""])
    t.check("%s: -T offers the mount points" % shell, "/" in got and set(got) <= values(binary, "-rno", "TARGET"),
            got)
    got = t.complete([""])
    t.check("%s: an operand is a mounted source or mount point" % shell,
            "/" in got and set(got) <= values(binary, "-rno", "SOURCE,TARGET"), got)
    got = t.complete(["-o", "PIN"])  # (fish falls back on fuzzy matches: OPTIONS)
    t.check("%s: without --detached, -o offers no pinner column" % shell,
            not {"PINNERS", "PINS", "PIDS", "PID"} & set(got), got)


def detached(t, shell, binary):
    missing = lazy_detach.missing_for_root_test(["losetup", "mkfs.ext2", "mount", "umount"])
    descriptions = ["--detached -S offers the detached mount's device",
                    "--detached -T offers its former mount point, which -T without --detached does not",
                    "--detached offers both as operands",
                    "--detached --uniq-id offers its unique id"]
    if missing:
        lazy_detach.skip_or_fail_cases(t, ["%s: %s" % (shell, d) for d in descriptions], missing)
        return
    with lazy_detach.LazyDetach() as s:
        s.journaled_detach(binary)
        recorded = lazy_detach.wait_until(lambda: s.mnt in values(binary, "--detached", "-rno", "TARGET"))
        uniq = values(binary, "--detached", "-rn", "-o", "UNIQ-ID", "-T", s.mnt)
        # Offered: what findmnt told the completion, in that very call (detached mounts of tests beside this one
        # come and go between any two calls).
        got, told = complete_recording(t, ["--detached", "-S", "/dev/loop"], s, binary)
        t.check("%s: %s" % (shell, descriptions[0]), s.loop in got and set(got) <= told,
                "offered %s, findmnt told it %s" % (got, sorted(told)))
        got, attached = t.complete(["--detached", "-T", s.work + "/"]), t.complete(["-T", s.work + "/"])
        t.check("%s: %s" % (shell, descriptions[1]), recorded and got == [s.mnt] and s.mnt not in attached,
                "with --detached: %s, without: %s\n%s" % (got, attached, s.watch_record()))
        got = t.complete(["--detached", ""])
        t.check("%s: %s" % (shell, descriptions[2]), s.loop in got and s.mnt in got,
                "offered %s\n%s" % (got, s.watch_record()))
        got = t.complete(["--detached", "--uniq-id", ""])
        t.check("%s: %s" % (shell, descriptions[3]), uniq and uniq <= set(got), "offered %s, its id %s" % (got, uniq))


def run(t, shell, binary):
    fixed_words(t, shell, binary)
    lists(t, shell, binary)
    detached(t, shell, binary)
