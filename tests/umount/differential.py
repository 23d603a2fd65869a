#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential test: our umount against util-linux's (/bin/umount, 2.38.1), case by case, on real parts.

Each case builds the same setup twice (loop devices with ext2/ext3 filesystems, mounts, pinner processes, a
private /etc/fstab) in a private mount namespace, runs one binary on it with argv[0] "umount", and records its
stdout, stderr, exit code and effect: what stays mounted under the case's directory (target, source, type,
per-mount options) and which of its loop devices stay bound. Paths and loop device names are normalised
(WORK, LOOP0 ...). Everything must be equal, except what our umount adds on purpose: the lines explaining
"target is busy" and the report of a filesystem a umount left alive. Those are cut from our stderr before the
comparison (so util-linux's part is compared byte for byte) and checked on their own.

Output is TAP: one case per setup. Needs root; it re-runs itself in its own mount namespace with its own /run
(utab, the detach journal) and /etc/fstab.

With LOCALEs (compiled under LOCPATH; our catalogs in PODIR), the cases of LOCALE_CASES run in each of them
instead (LC_ALL=LOCALE for both; util-linux's catalogs from util-linux-locales): util-linux's part of every
message, usage and help text must be the same bytes in every language it translates. Our additions are cut as
in English (after the translated "target is busy."), and not checked: the English cases check their words.

usage: differential.py OURS REFERENCE [LOCPATH PODIR LOCALE...]
"""
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

OURS, REF = os.path.abspath(sys.argv[1]), sys.argv[2]
LOCPATH, PODIR, LOCALES = (sys.argv[3], sys.argv[4], sys.argv[5:]) if len(sys.argv) > 5 else (None, None, [])
NOBODY = 65534


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True).stdout.strip()


def mount_id(target):
    """The mount id (mountinfo's first field) of the mount on TARGET, the top one."""
    found = None
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if fields[4].replace("\\040", " ") == target:
                found = int(fields[0])
    return found


def wait_until(predicate, seconds):
    deadline = time.time() + seconds
    while not predicate() and time.time() < deadline:
        time.sleep(0.02)


class Env:
    """One case's setup: a directory under the work root, its loop devices, mounts and pinners."""

    def __init__(self, root):
        self.work = tempfile.mkdtemp(prefix="c.", dir=root)
        os.chmod(self.work, 0o755)  # the setuid cases run as nobody
        self.loops, self.pinners = [], []
        self.last_id = 0

    def fs(self, name, fstype="ext2", mb=16):
        image = os.path.join(self.work, name + ".img")
        with open(image, "wb") as f:
            f.truncate(mb << 20)
        loop = sh("losetup", "-f", "--show", image)
        self.loops.append((loop, image))
        sh("mkfs." + fstype, "-q", loop)
        return loop

    def dir(self, name):
        path = os.path.join(self.work, name)
        os.makedirs(path, exist_ok=True)
        return path

    def mount(self, source, name, *options):
        """Mounts SOURCE on WORK/NAME with a mount id above those of the case's earlier mounts, as on a quiet
        machine. umount -R takes a mount's children in the order of their ids (libmount), and the kernel hands
        out the lowest free id: one that another test freed a moment before would order this case's mounts one
        way in our run and another in util-linux's. So a mount that gets a lower id is undone, a spare tmpfs
        holds that id, and the mount is made again; the spares go once it has a higher one."""
        target = self.dir(name)
        spares = []
        try:
            while True:
                sh("mount", *options, source, target)
                got = mount_id(target)
                if got > self.last_id or len(spares) == 1000:
                    break
                sh("umount", target)
                spares.append(self.dir(".spare%d" % len(spares)))
                sh("mount", "-t", "tmpfs", "spare", spares[-1])
        finally:
            for spare in reversed(spares):
                sh("umount", spare, check=False)
                os.rmdir(spare)
        self.last_id = max(self.last_id, got)
        return target

    def pin(self, cwd):
        p = subprocess.Popen(["sleep", "1000"], cwd=cwd)
        self.pinners.append(p)
        deadline = time.time() + 5
        while os.readlink("/proc/%d/cwd" % p.pid) != cwd and time.time() < deadline:
            time.sleep(0.01)
        return p.pid

    def pin_in_other_namespace(self):
        """A sleep in a mount namespace of its own: a copy of every mount, which keeps them alive."""
        p = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sleep", "1000"])
        self.pinners.append(p)
        deadline = time.time() + 5
        while os.readlink("/proc/%d/ns/mnt" % p.pid) == os.readlink("/proc/self/ns/mnt") and time.time() < deadline:
            time.sleep(0.01)
        return p.pid

    @staticmethod
    def loop_attr(loop, name):
        try:
            with open("/sys/block/%s/loop/%s" % (os.path.basename(loop), name)) as f:
                return f.read().strip()
        except OSError:
            return None  # not bound

    def bound(self, loop, image):
        """Whether LOOP is still bound to IMAGE: once let go, its number may be bound at once to another test's
        image."""
        return self.loop_attr(loop, "backing_file") == image

    def effect(self):
        # A loop device that umount -d lets go (LOOP_CLR_FD) while another process has it open is marked
        # autoclear and detached at that close: every scan of our tools, in a test beside this one, opens each
        # bound loop device for a moment. Its end is waited for, as any event.
        wait_until(lambda: not any(self.bound(loop, image) and self.loop_attr(loop, "autoclear") == "1"
                                   for loop, image in self.loops), 10)
        mounts = []
        with open("/proc/self/mountinfo") as f:
            for line in f:
                fields = line.split()
                sep = fields.index("-")
                target = fields[4].replace("\\040", " ")
                if target == self.work or target.startswith(self.work + "/"):
                    mounts.append((target, fields[sep + 2], fields[sep + 1], fields[5]))
        bound = [loop for loop, image in self.loops if self.bound(loop, image)]
        return sorted(mounts), bound

    def normalise(self, data):
        if isinstance(data, bytes):
            data = data.decode("utf-8", "replace")
        data = data.replace(self.work, "WORK")
        # Longest first: /dev/loop12 before /dev/loop1.
        for i, (loop, _) in sorted(enumerate(self.loops), key=lambda x: -len(x[1][0])):
            data = data.replace(loop, "LOOP%d" % i)
        for i, p in enumerate(self.pinners):
            data = re.sub(r"\b%d\b" % p.pid, "PIN%d" % i, data)
        return data

    def teardown(self):
        for p in self.pinners:
            p.kill()
            p.wait()
        for target in sorted((m[0] for m in self.effect()[0]), reverse=True):
            subprocess.run(["umount", "-l", target], capture_output=True)
        for loop, image in self.loops:
            if sh("losetup", "-n", "-O", "BACK-FILE", loop, check=False).startswith(image):
                subprocess.run(["losetup", "-d", loop], capture_output=True)
        shutil.rmtree(self.work, ignore_errors=True)


def write_fstab(text):
    with open("/etc/fstab", "w") as f:  # a private file bound over /etc/fstab (see main)
        f.write(text)


# ---- setups: each returns the names the case's arguments use ----

def one_mount(env):
    loop = env.fs("a")
    return {"m": env.mount(loop, "m"), "dev": loop, "img": env.loops[0][1]}


def busy_mount(env):
    names = one_mount(env)
    names["pin"] = env.pin(names["m"])
    return names


def busy_by_fd(env):
    names = one_mount(env)
    p = subprocess.Popen(["sleep", "1000"], stdout=open(os.path.join(names["m"], "log"), "w"))
    env.pinners.append(p)
    names["pin"] = p.pid
    return names


def tree(env):
    a, b = env.fs("a"), env.fs("b")
    top = env.mount(a, "t")
    sub = env.mount(b, "t/sub")
    env.mount("none", "t/sub/tmp", "-t", "tmpfs")
    env.mount("none", "t/over", "-t", "tmpfs")
    return {"t": top, "sub": sub}


def busy_tree(env):
    names = tree(env)
    names["pin"] = env.pin(names["sub"])
    return names


def several_places(env):
    loop = env.fs("a")
    first = env.mount(loop, "one")
    env.mount(loop, "two")
    env.mount(first, "three", "--bind")
    return {"one": first, "dev": loop}


def typed(env):
    a, b, c = env.fs("a"), env.fs("b", "ext3"), env.fs("c", "ext3")
    env.mount(a, "e2")
    env.mount(b, "e3", "-o", "noatime")
    env.mount(c, "e3ro", "-o", "ro")
    return {}


def nothing(env):
    return {"d": env.dir("d")}


def bind_of_dir(env):
    names = one_mount(env)
    os.makedirs(os.path.join(names["m"], "inner"))
    names["b"] = env.mount(os.path.join(names["m"], "inner"), "b", "--bind")
    return names


def copy_in_other_namespace(env):
    names = one_mount(env)
    names["pin"] = env.pin_in_other_namespace()
    return names


def user_mounts(env):
    """A `users` mount (anyone may unmount it) and a root-only one, both in fstab."""
    loop_users, loop_root = env.fs("u"), env.fs("r")
    u, r = env.dir("u"), env.dir("r")
    write_fstab("%s %s ext2 users,noauto 0 0\n%s %s ext2 noauto 0 0\n" % (loop_users, u, loop_root, r))
    sh("mount", u)
    sh("mount", r)
    return {"u": u, "r": r, "dev": loop_users, "dev_r": loop_root}


# ---- what our umount adds, and how each case checks it ----

def split_additions(err, busy="target is busy"):
    """(util-linux's part, our additions): lines indented below a message, and the first line of a report.
    BUSY: libmount's "target is busy" in the language of the run."""
    kept, added = [], []
    after_message = False
    for line in err.split("\n"):
        if re.match(r"^umount: .*: (lazily unmounted|unmounted), but its filesystem lives on", line) or \
           re.match(r"^umount: .*: not waiting:", line):
            added.append(line)
            after_message = True
        elif line.startswith("        ") and after_message:
            added.append(line)
        else:
            after_message = line.endswith(busy + ".")
            kept.append(line)
    return "\n".join(kept), "\n".join(added)


def expect(*needles):
    return lambda added: all(n in added for n in needles) and added.count("\n") < 20


def expect_nothing(added):
    return added == ""


CASES = [
    # (name, setup, args, check of our additions, run as)
    ("success", one_mount, ["{m}"], expect_nothing, None),
    ("success by source", one_mount, ["{dev}"], expect_nothing, None),
    ("success by backing file", one_mount, ["{img}"], expect_nothing, None),
    ("success -v", one_mount, ["-v", "{m}"], expect_nothing, None),
    ("success with trailing slash", one_mount, ["{m}/"], expect_nothing, None),
    ("two targets", tree, ["{sub}/tmp", "WORKDIR/over"], expect_nothing, None),
    ("not mounted", nothing, ["{d}"], expect_nothing, None),
    ("not mounted -q", nothing, ["-q", "{d}"], expect_nothing, None),
    ("not found", nothing, ["{d}/nope"], expect_nothing, None),
    ("not mounted and mounted: exit codes add up", one_mount, ["WORKDIR", "{m}", "WORKDIR/nope"], expect_nothing, None),
    ("target is busy", busy_mount, ["{m}"], expect("PIN0 (sleep) cwd"), None),
    ("target is busy -q", busy_mount, ["-q", "{m}"], expect_nothing, None),
    ("target is busy -v", busy_mount, ["-v", "{m}"], expect("PIN0 (sleep) cwd", "user root"), None),
    ("target is busy: an open file", busy_by_fd, ["{m}"], expect("PIN0 (sleep) fd 1 (write)"), None),
    ("target is busy: a submount", tree, ["{t}"], expect("WORK/t/sub is mounted inside it", "umount -R"), None),
    ("-f on a busy target", busy_mount, ["-f", "{m}"], expect("PIN0 (sleep) cwd"), None),
    ("-f", one_mount, ["-f", "{m}"], expect_nothing, None),
    # The read-only remount of a filesystem its cwd pins fails too (6.18): still busy, and said why.
    ("-r on a busy target", busy_mount, ["-r", "{m}"], expect("PIN0 (sleep) cwd"), None),
    ("-r", one_mount, ["-r", "{m}"], expect_nothing, None),
    ("-l idle", one_mount, ["-l", "{m}"], expect_nothing, None),
    ("-l pinned", busy_mount, ["-l", "{m}"],
     expect("lazily unmounted, but its filesystem lives on, pinned by PIN0 (sleep) cwd", "findmnt --detached"), None),
    ("-l -q pinned", busy_mount, ["-l", "-q", "{m}"], expect_nothing, None),
    ("-R on a tree", tree, ["-R", "{t}"], expect_nothing, None),
    ("-R on a tree with a pinned submount", busy_tree, ["-R", "{t}"], expect("PIN0 (sleep) cwd"), None),
    ("-R -v", tree, ["-R", "-v", "{t}"], expect_nothing, None),
    ("-R not mounted", nothing, ["-R", "{d}"], expect_nothing, None),
    ("-R not found", nothing, ["-R", "{d}/nope"], expect_nothing, None),
    ("-A on one device mounted at several places", several_places, ["-A", "{dev}"], expect_nothing, None),
    ("-A by a mount point", several_places, ["-A", "{one}"], expect_nothing, None),
    ("-A -R", several_places, ["-A", "-R", "{dev}"], expect_nothing, None),
    ("-A not mounted", nothing, ["-A", "{d}"], expect_nothing, None),
    ("-d frees the loop device", one_mount, ["-d", "{m}"], expect_nothing, None),
    ("-d -l idle", one_mount, ["-d", "-l", "{m}"], expect_nothing, None),
    ("-d on a busy target", busy_mount, ["-d", "{m}"], expect("PIN0 (sleep) cwd"), None),
    ("--fake", one_mount, ["--fake", "{m}"], expect_nothing, None),
    ("--fake -v", one_mount, ["--fake", "-v", "{m}"], expect_nothing, None),
    ("--fake -l on a busy target", busy_mount, ["--fake", "-l", "{m}"], expect_nothing, None),
    ("-n", one_mount, ["-n", "{m}"], expect_nothing, None),
    ("-c", one_mount, ["-c", "{m}"], expect_nothing, None),
    ("-c with a trailing slash", one_mount, ["-c", "{m}/"], expect_nothing, None),
    ("-i", one_mount, ["-i", "{m}"], expect_nothing, None),
    ("-a -t ext3", typed, ["-a", "-t", "ext3"], expect_nothing, None),
    ("-a -t ext2,ext3 -O noatime", typed, ["-a", "-t", "ext2,ext3", "-O", "noatime"], expect_nothing, None),
    ("-a -t ext3 -O ro -v", typed, ["-a", "-t", "ext3", "-O", "ro", "-v"], expect_nothing, None),
    ("-a -t ext2 -v", typed, ["-a", "-t", "ext2", "-v"], expect_nothing, None),
    ("-a with an argument", typed, ["-a", "-t", "ext3", "WORKDIR"], expect_nothing, None),
    ("a bind mount of a directory", bind_of_dir, ["{b}"], expect_nothing, None),
    ("the mount under a bind mount of it", bind_of_dir, ["{m}"], expect_nothing, None),
    ("a copy in another namespace keeps it alive", copy_in_other_namespace, ["{m}"],
     expect("unmounted, but its filesystem lives on", "in mount namespace mnt:[", "PIN0 (sleep)"), None),
    ("-N another namespace", copy_in_other_namespace, ["-N", "{pin}", "{m}"], expect_nothing, None),
    ("-N a bad namespace", nothing, ["-N", "999999999", "{d}"], expect_nothing, None),
    ("-N a namespace path", copy_in_other_namespace, ["-N", "/proc/{pin}/ns/mnt", "{m}"], expect_nothing, None),
    ("setuid: a users mount, as nobody", user_mounts, ["{u}"], expect_nothing, NOBODY),
    ("setuid: a users mount by device, as nobody", user_mounts, ["{dev}"], expect_nothing, NOBODY),
    ("setuid: a root-only mount, as nobody", user_mounts, ["{r}"], expect_nothing, NOBODY),
    ("setuid: -l on a users mount, as nobody", user_mounts, ["-l", "{u}"], expect_nothing, NOBODY),
    ("setuid: -f drops the privileges, as nobody", user_mounts, ["-f", "{u}"], expect_nothing, NOBODY),
    ("setuid: -c is ignored, as nobody", user_mounts, ["-c", "{u}"], expect_nothing, NOBODY),
    ("setuid: a path the user cannot resolve, as nobody", nothing, ["{d}/nope"], expect_nothing, NOBODY),
    ("setuid: not mounted, as nobody", nothing, ["{d}"], expect_nothing, NOBODY),
    # Bad command lines and the fixed texts.
    ("no arguments", nothing, [], expect_nothing, None),
    ("unknown option", nothing, ["--bogus"], expect_nothing, None),
    ("unknown short option", nothing, ["-x"], expect_nothing, None),
    ("an option that wants a value", nothing, ["-t"], expect_nothing, None),
    ("a value to a flag", nothing, ["--lazy=1", "{d}"], expect_nothing, None),
    ("ambiguous prefix", nothing, ["--a", "{d}"], expect_nothing, None),
    ("a unique prefix", one_mount, ["--la", "{m}"], expect_nothing, None),
    ("bundled short options", one_mount, ["-lvn", "{m}"], expect_nothing, None),
    ("-- and an argument that looks like an option", nothing, ["--", "-notanoption"], expect_nothing, None),
    ("-A -a", nothing, ["-A", "-a"], expect_nothing, None),
    ("-a -R", nothing, ["-a", "-R"], expect_nothing, None),
    ("-R -t", nothing, ["-R", "-t", "ext2", "{d}"], expect_nothing, None),
    ("-t -R", nothing, ["-t", "ext2", "-R", "{d}"], expect_nothing, None),
    ("-O -R (util-linux lets it through)", nothing, ["-O", "ro", "-R", "{d}"], expect_nothing, None),
    ("-R -r", nothing, ["-R", "-r", "{d}"], expect_nothing, None),
    ("-h", nothing, ["-h"], expect_nothing, None),
    ("--help after a bad option", nothing, ["--bogus", "--help"], expect_nothing, None),
    ("--help before a bad option", nothing, ["--help", "--bogus"], expect_nothing, None),
    ("-V", nothing, ["-V"], expect_nothing, None),
    ("--help >/dev/full", nothing, ["--help", ">/dev/full"], expect_nothing, None),
]

# Cases run in every locale: one for each message and text util-linux translates that umount shares (-V
# aside: its line names detach-utils instead of libmount's features, compared in English).
LOCALE_CASES = ("success -v", "not mounted", "not found", "target is busy", "-R not mounted", "-A not mounted",
                "-a -t ext3 -O ro -v", "-N a bad namespace", "no arguments", "unknown option", "a value to a flag",
                "-A -a", "-h", "--help >/dev/full", "-a with an argument")

# The line our --help adds (its option column is not translated); -V names detach-utils after util-linux's words.
HELP_EXTENSION = re.compile(r"(?m)^     --wait\[=.*\n")
VERSION_PREFIX = "umount from util-linux 2.38.1 ("


def as_user(uid, env=None):
    """subprocess arguments for a child run as UID (as is when None), from /, with a plain environment (and
    ENV on top of it)."""
    def drop():
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
    base = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"}
    if "DETACH_FS_TIMEOUT_MS" in os.environ:  # a sanitized build's longer bound (meson.build's test setup)
        base["DETACH_FS_TIMEOUT_MS"] = os.environ["DETACH_FS_TIMEOUT_MS"]
    base.update(env or {})
    return {"preexec_fn": drop, "env": base, "cwd": "/", "stdin": subprocess.DEVNULL}


def locale_env(locale):
    """The environment of a run in LOCALE (None: C)."""
    if locale is None:
        return None
    return {"LC_ALL": locale, "LOCPATH": LOCPATH, "DETACH_UTILS_LOCALEDIR": PODIR}


def busy_words(locale):
    """libmount's "target is busy" in LOCALE's language, from util-linux's catalog (as libmount finds it)."""
    if locale is None:
        return "target is busy"
    lang = locale.split(".")[0]
    return gettext.translation("util-linux", "/usr/share/locale", [lang, lang.split("_")[0]],
                               fallback=True).gettext("target is busy")


def run(binary, args, user, env=None, timeout=120):
    """BINARY run as umount with ARGS, as USER (and ENV): (stdout, stderr, exit code)."""
    redirect = None
    if args and args[-1] == ">/dev/full":
        args, redirect = args[:-1], open("/dev/full", "w")
    p = subprocess.run(["umount"] + args, executable=binary, stdout=redirect or subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout, **as_user(user, env))
    return (p.stdout or b"").decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), p.returncode


def one(root, binary, case, locale=None):
    name, setup, args, check, user = case
    env = Env(root)
    try:
        names = setup(env)
        argv = [a.replace("WORKDIR", env.work).format(**names) for a in args]
        out, err, rc = run(binary, argv, user, locale_env(locale))
        time.sleep(0.05)  # a plain umount's last reference may go from another task's work: let it
        mounts, bound = env.effect()
        effect = env.normalise(repr((mounts, bound)))
        return env.normalise(out), env.normalise(err), rc, effect
    finally:
        env.teardown()


def setuid_copy(root):
    """Our binary as util-linux's is installed: setuid root, where nobody can run it."""
    d = tempfile.mkdtemp(prefix="bin.", dir=root)
    os.chmod(d, 0o755)
    path = os.path.join(d, "umount")
    shutil.copy(OURS, path)
    os.chown(path, 0, 0)
    os.chmod(path, 0o4755)
    return path


def enter_private_world(name):
    """As root, in a mount namespace of its own (the script runs again in it) with its own /run and an empty
    /etc/fstab, bound from the work root it returns (under /tmp, named after NAME). Not root: prints TAP's
    skip (a failure when CI=true) and returns the exit code instead."""
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            print("1..1\nnot ok 1 - needs root (CI=true: a privileged test may not skip)")
            return 1
        print("1..0 # SKIP needs root")
        return 0
    if not os.environ.get("UMOUNT_TEST_PRIVATE"):
        os.environ["UMOUNT_TEST_PRIVATE"] = "1"
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private", sys.executable] + sys.argv)
    sh("mount", "-t", "tmpfs", name + "-run", "/run")
    root = tempfile.mkdtemp(prefix=name + ".", dir="/tmp")
    os.chmod(root, 0o755)
    fstab = os.path.join(root, "fstab")
    open(fstab, "w").close()
    sh("mount", "--bind", fstab, "/etc/fstab")
    return root


def leave_private_world(root):
    subprocess.run(["umount", "-l", "/etc/fstab"], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def main():
    root = enter_private_world("umount-diff")
    if isinstance(root, int):
        return root
    ours = setuid_copy(root)
    runs = [(case, None) for case in CASES]
    if LOCALES:
        runs = [(case, locale) for locale in LOCALES for case in CASES if case[0] in LOCALE_CASES]
    print("1..%d" % len(runs))
    failed = 0
    try:
        for n, (case, locale) in enumerate(runs, 1):
            mine, ref = one(root, ours, case, locale), one(root, REF, case, locale)
            out, err, rc, effect = mine
            notes = []
            if case[2][:1] == ["-h"] or out.startswith("\nUsage:\n"):
                out = HELP_EXTENSION.sub("", out)
            if case[2] == ["-V"] and out.startswith(VERSION_PREFIX) and ref[0].startswith(VERSION_PREFIX):
                if not out.startswith(VERSION_PREFIX + "detach-utils "):
                    notes.append("-V does not name detach-utils: %r" % out)
                out = ref[0]
            kept, added = split_additions(err, busy_words(locale))
            if (out, kept, rc, effect) != ref[:1] + (ref[1], ref[2], ref[3]):
                for what, a, b in zip(("stdout", "stderr", "exit", "effect"), (out, kept, rc, effect), ref):
                    if a != b:
                        notes.append("%s differs:\n  ours: %r\n  ref:  %r" % (what, a, b))
            if locale is None and not case[3](added):
                notes.append("our additions are not what they should be: %r" % added)
            label = case[0] if locale is None else "LC_ALL=%s %s" % (locale, case[0])
            if notes:
                failed += 1
                print("not ok %d - %s" % (n, label))
                for note in notes:
                    print("# " + note.replace("\n", "\n# "))
            else:
                print("ok %d - %s" % (n, label))
            sys.stdout.flush()
    finally:
        leave_private_world(root)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
