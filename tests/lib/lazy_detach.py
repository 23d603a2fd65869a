# SPDX-License-Identifier: GPL-2.0-or-later
"""The lazy-umount scenario for the Python tests (completions, the journal service, metrics): a loop device
with an ext2 filesystem mounted in a private mount namespace, a pinner with its cwd inside, and a plain
umount2(MNT_DETACH) as kubelet or systemd make it (not our umount).

Everything it makes is undone on exit, also when a test fails midway: its processes (by pid), its mounts (in
the test's own namespace), its loop device and its work directory. Tests print TAP (tap.py beside this file).
"""
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

MNT_DETACH = 2


def missing_for_root_test(tools):
    """What a privileged test lacks: 'root' and the tools not on PATH."""
    missing = [] if os.geteuid() == 0 else ["root"]
    return missing + [t for t in tools if shutil.which(t) is None]


def start_root_test(tools):
    """A privileged TAP test's start: it skips (or fails, under CI=true) without root or one of TOOLS, else
    goes on in a private mount namespace (enter_private_namespace). Returns its Tap."""
    from tap import Tap, skip_all_or_fail

    missing = missing_for_root_test(["losetup", "mkfs.ext2", "mount"] + tools)
    if missing:
        skip_all_or_fail("needs " + " ".join(missing))
    enter_private_namespace()
    return Tap()


def skip_or_fail_cases(t, descriptions, missing):
    """The cases of a test that need MISSING (root, tools): each skipped, or under CI=true failed."""
    for d in descriptions:
        if os.environ.get("CI") == "true":
            t.check(d, False, "needs %s (CI=true: a privileged test may not skip)" % " ".join(missing))
        else:
            t.skip(d, "needs " + " ".join(missing))


def enter_private_namespace():
    """Re-runs this script (once) in its own mount namespace with its own /run, so that its mounts never reach
    the host and the detach journal (/run/detach-utils) it fills is its own."""
    if os.environ.get("DETACH_TEST_PRIVATE_NS") != "1":
        env = dict(os.environ, DETACH_TEST_PRIVATE_NS="1")
        os.execvpe("unshare", ["unshare", "-m", "--propagation", "private", sys.executable, *sys.argv], env)
    subprocess.run(["mount", "-t", "tmpfs", "detach-test-run", "/run"], check=True)


def umount2_detach(path):
    """umount2(PATH, MNT_DETACH) straight through libc."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.umount2(os.fsencode(path), MNT_DETACH) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), path)


def wait_until(predicate, seconds=20):
    """True once PREDICATE() is true, polling every 0.1 s for at most SECONDS (a bound, not a timing)."""
    for _ in range(int(seconds * 10)):
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


def holds_fanotify(pid):
    """Whether process PID has a fanotify group open: a detach watcher that is ready."""
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return False
    for fd in fds:
        try:
            if "fanotify" in os.readlink("/proc/%d/fd/%s" % (pid, fd)):
                return True
        except OSError:
            pass
    return False


class LazyDetach:
    """with LazyDetach() as s: s.loop (the device, with a fresh filesystem), s.mnt (where it is mounted, unless
    mount=False: then s.mount() mounts it), s.spawn(...), s.pin(), s.detach()."""

    def __init__(self, fstype="ext2", mount=True):
        self.fstype = fstype
        self.mount_at_start = mount
        self.procs = []
        self.loop = None
        self.work = None

    def __enter__(self):
        try:
            return self._set_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _set_up(self):
        self.work = tempfile.mkdtemp(prefix="detach-test.")
        self.mnt = os.path.join(self.work, "mnt")
        os.mkdir(self.mnt)
        image = self.image = os.path.join(self.work, "fs.img")
        with open(image, "wb") as f:
            f.truncate(64 << 20)
        subprocess.run(["mkfs." + self.fstype, "-q", "-F", image], check=True)
        self.loop = subprocess.run(["losetup", "-f", "--show", image], check=True, capture_output=True,
                                   text=True).stdout.strip()
        if self.mount_at_start:
            self.mount()
        return self

    def mount(self):
        subprocess.run(["mount", "-t", self.fstype, self.loop, self.mnt], check=True)

    def spawn(self, argv, **kwargs):
        """A process of the test's, ended on exit."""
        p = subprocess.Popen(argv, **kwargs)
        self.procs.append(p)
        return p

    def pin(self):
        """A sleep whose cwd is the mount's root; returns once the kernel shows it there."""
        p = self.spawn(["sleep", "3600"], cwd=self.mnt)
        if not wait_until(lambda: os.readlink("/proc/%d/cwd" % p.pid) == self.mnt):
            raise RuntimeError("the pinner's cwd never showed as " + self.mnt)
        return p

    def detach(self):
        umount2_detach(self.mnt)

    def until_watched(self, rows, tries=20):
        """Returns once the watcher whose stdout goes to the file ROWS has taken a look at the mounts after
        every mount made so far: only then does a detach get its former mount point (the watcher learns
        mount points from the looks it takes, and a look takes seconds on a busy host). The proof is a
        sentinel: a tmpfs mounted now, pinned, and detached, whose detach row (found by its pinner's pid)
        names its mount point. A row without it (the look came too late) means: once more, with a new one."""
        for n in range(tries):
            where = os.path.join(self.work, "sentinel-%d" % n)
            os.mkdir(where)
            subprocess.run(["mount", "-t", "tmpfs", "sentinel", where], check=True)
            pinner = self.spawn(["sleep", "3600"], cwd=where)
            wait_until(lambda: os.readlink("/proc/%d/cwd" % pinner.pid) == where)
            umount2_detach(where)
            mark = re.compile(r"(^|[\s\"])%d \(sleep\) cwd" % pinner.pid)

            def row():
                with open(rows, errors="replace") as f:
                    return next((line for line in f if line.startswith(("detach", 'ACTION="detach"')) and
                                 mark.search(line)), None)

            if not wait_until(lambda: row() is not None, seconds=60):
                raise RuntimeError("the watcher never reported the detach of " + where)
            pinner.kill()
            if where in row():
                return
        raise RuntimeError("the watcher never saw a sentinel attached in %d tries" % tries)

    def watch_record(self):
        """What the watcher of journaled_detach printed and what the journal holds: the detail of a failed case."""
        parts = []
        for title, path in (("watcher rows", os.path.join(self.work, "rows")),
                            ("journal", "/run/detach-utils/journal")):
            try:
                with open(path, errors="replace") as f:
                    parts.append("%s:\n%s" % (title, f.read()[-4000:]))
            except OSError as e:
                parts.append("%s: %s" % (title, e))
        return "\n".join(parts)

    def journaled_detach(self, findmnt):
        """A pinner in the mount, then its lazy detach, journaled (former mount point and all) by a watcher,
        FINDMNT --detached --poll, started and made sure of first."""
        rows = os.path.join(self.work, "rows")
        with open(rows, "w") as out:
            watcher = self.spawn([findmnt, "--detached", "--poll"], stdout=out)
        wait_until(lambda: holds_fanotify(watcher.pid))
        self.until_watched(rows)
        self.pin()
        self.detach()

    def __exit__(self, *exc):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self.work:
            with open("/proc/self/mountinfo") as f:
                mounted = [line.split()[4] for line in f if line.split()[4].startswith(self.work + "/")]
            for m in sorted(mounted, reverse=True):
                subprocess.run(["umount", "-l", m], check=False)
        # Only while bound to our image: a loop device let go may be another test's by now, under the same name.
        if self.loop and subprocess.run(["losetup", "-n", "-O", "BACK-FILE", self.loop], capture_output=True,
                                        text=True).stdout.strip() == self.image:
            subprocess.run(["losetup", "-d", self.loop], check=False)
        if self.work:
            shutil.rmtree(self.work, ignore_errors=True)
        return False
