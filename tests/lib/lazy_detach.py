# SPDX-License-Identifier: GPL-2.0-or-later
"""The lazy-umount scenario for the Python tests (completions, the journal service, metrics): a loop device
with an ext2 filesystem mounted in a private mount namespace, a pinner with its cwd inside, and a plain
umount2(MNT_DETACH) as kubelet or systemd make it (not our umount).

Everything it makes is undone on exit, also when a test fails midway: its processes (by pid), its mounts (in
the test's own namespace), its loop device and its work directory. Tests print TAP (tap.py beside this file).
"""
import ctypes
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

MNT_DETACH = 2
LOOP_CTL_GET_FREE = 0x4C82
LOOP_CONFIGURE = 0x4C0A
LO_FLAGS_AUTOCLEAR = 4
JOURNAL = "/run/detach-utils/journal"


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


def autoclear_loop(backing_file):
    """A loop device on BACKING_FILE, configured with LO_FLAGS_AUTOCLEAR (LOOP_CONFIGURE): the kernel frees it
    once its last user (the returned read-only fd, a mount) goes, also if the test dies. Returns (path, fd)."""
    import fcntl
    import struct
    backing = os.open(backing_file, os.O_RDWR | os.O_CLOEXEC)
    control = os.open("/dev/loop-control", os.O_RDWR | os.O_CLOEXEC)
    try:
        # struct loop_config: fd, block_size, struct loop_info64 (lo_flags after five u64 and three u32; then
        # the file name, crypt name, key and init), reserved.
        info = struct.pack("=5Q4I", 0, 0, 0, 0, 0, 0, 0, 0, LO_FLAGS_AUTOCLEAR) + bytes(64 + 64 + 32 + 16)
        config = struct.pack("=II", backing, 0) + info + bytes(64)
        for _ in range(50):  # another test may take the free device between GET_FREE and CONFIGURE
            path = "/dev/loop%d" % fcntl.ioctl(control, LOOP_CTL_GET_FREE)
            dev = os.open(path, os.O_RDWR | os.O_CLOEXEC)
            try:
                fcntl.ioctl(dev, LOOP_CONFIGURE, config)
                # Held open read-only, opened before the configuring fd closes (autoclear frees the device at
                # the last close, and another test may take it at once): mkfs-guard notes a reader, a writer
                # would be a reason the device is busy.
                return path, os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError as e:
                if e.errno != errno.EBUSY:
                    raise
            finally:
                os.close(dev)
        raise OSError(errno.EBUSY, "no free loop device")
    finally:
        os.close(control)
        os.close(backing)


def journal_escape(path):
    """PATH as the detach journal writes a field: bytes up to space, from DEL up, and backslash in octal."""
    return "".join(chr(b) if 0x20 < b < 0x7f and b != 0x5c else "\\%03o" % b for b in os.fsencode(path))


def journal_holds_target(path):
    """Whether the detach journal holds a record of a mount at PATH."""
    field = "target=%s\t" % journal_escape(path)
    try:
        with open(JOURNAL, errors="replace") as f:
            return any(field in line for line in f)
    except OSError:
        return False


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
        self.loop_fd = None
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
        self.loop, self.loop_fd = autoclear_loop(image)
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
        names its mount point. A row without it (the watcher saw the mount only detached: its look came too
        late), or no row in time (a mount detached before the watcher marked its namespace is taken for one
        detached before it started), means: once more, with a new one."""
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

            reported = wait_until(lambda: row() is not None, seconds=30)
            pinner.kill()
            if reported and where in row():
                return
        raise RuntimeError("the watcher never reported a sentinel's detach with its mount point in %d tries" % tries)

    def watch_record(self):
        """What the watcher of journaled_detach printed and what the journal holds: the detail of a failed case."""
        parts = []
        for title, path in (("watcher rows", os.path.join(self.work, "rows")), ("journal", JOURNAL)):
            try:
                with open(path, errors="replace") as f:
                    parts.append("%s:\n%s" % (title, f.read()[-4000:]))
            except OSError as e:
                parts.append("%s: %s" % (title, e))
        return "\n".join(parts)

    def journaled_detach(self, findmnt):
        """A pinner in the mount, then its lazy detach, journaled (former mount point and all) by a watcher,
        FINDMNT --detached --poll, started and made sure of first. Returns once the journal holds the record
        (the watcher writes it at the detach's event, as fast as it goes: a sanitized one is slow), or raises."""
        rows = os.path.join(self.work, "rows")
        with open(rows, "w") as out:
            watcher = self.spawn([findmnt, "--detached", "--poll"], stdout=out)
        wait_until(lambda: holds_fanotify(watcher.pid))
        self.until_watched(rows)
        self.pin()
        self.detach()
        if not wait_until(lambda: journal_holds_target(self.mnt), seconds=60):
            raise RuntimeError("the watcher never journaled the detach of %s\n%s" % (self.mnt, self.watch_record()))

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
        # The loop device frees itself (autoclear) once our fd and the last mount of it are gone.
        if self.loop_fd is not None:
            os.close(self.loop_fd)
        if self.work:
            shutil.rmtree(self.work, ignore_errors=True)
        return False
