#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential test: our fuser against psmisc's (/usr/bin/fuser, 23.6), invocation by invocation, on the same
real scenario: files, directories, a tmpfs, an ext2 loop filesystem and its block device, a bind mount, a swap
file, a chroot, an executable and a mapping on them, TCP and UDP sockets on 127.0.0.1 and ::1, a unix socket;
and -k on processes the test started. Each case compares stdout, stderr and the exit code exactly, after
these normalisations only: the program's path in messages (argv[0]), our --help's lines for --detached, our -V
line's "(detach-utils VERSION)", and, for -k cases (which run each tool on processes of its own), the pids.

Everything runs in a private mount, pid and network namespace (the script re-runs itself there): /proc shows
only the test's own processes, so psmisc's pid order (ascending, as /proc lists them) is the same for both and
no case can see, or kill, anything the test did not start; ports are its own. Its mounts, loop device (autoclear)
and swap file are undone on exit, its processes killed by pid. Output is TAP, one case per invocation.

With LOCALEs (compiled under LOCPATH; our catalogs in PODIR), the cases of locale_cases run in each of them
instead, LC_ALL=LOCALE for both (psmisc's own catalogs): every message and usage text the two share must be
the same bytes in every language psmisc translates, our --detached lines (translated) aside.

usage: differential.py OURS REFERENCE [LOCPATH PODIR LOCALE...]
       (FUSER_DIFF_SHOW=1: also print psmisc's answer to each case)
"""
import ctypes
import fcntl
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from tap import Tap, skip_all_or_fail  # noqa: E402

OURS, REF = os.path.abspath(sys.argv[1]), sys.argv[2]
LOCPATH, PODIR, LOCALES = (sys.argv[3], sys.argv[4], sys.argv[5:]) if len(sys.argv) > 5 else (None, None, [])
# Our usage's lines: the --detached synopsis and the option (its continuation lines follow it, indented to the
# help column). The option names are not translated.
SYNOPSIS_LINE, OPTION_LINE = b"fuser --detached", b"  --detached  "
HELP_COLUMN = b" " * 24
ENV = {}  # the language of the cases run now (LC_ALL, LOCPATH, DETACH_UTILS_LOCALEDIR)
PORT = 5555  # TCP 5555, UDP 5556, TCP6 5557, UDP6 5558; the namespace's own loopback


def enter_namespaces():
    """Re-runs this script (once) as pid 1 of new mount, pid and network namespaces, with its own /proc."""
    if os.environ.get("FUSER_DIFF_NS") == "1":
        return
    missing = [] if os.geteuid() == 0 else ["root"]
    missing += [t for t in ("unshare", "losetup", "mkfs.ext2", "mkswap", "swapon", "swapoff", "mount")
                if shutil.which(t) is None]
    if not os.access(REF, os.X_OK):
        missing.append(REF)
    if missing:
        skip_all_or_fail("needs " + " ".join(missing))
    env = dict(os.environ, FUSER_DIFF_NS="1")
    os.execvpe("unshare", ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc",
                           "--net", sys.executable, *sys.argv], env)


def loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sH22x", fcntl.ioctl(s, 0x8913, struct.pack("16sH22x", b"lo", 0)))[1]  # SIOCGIFFLAGS
        fcntl.ioctl(s, 0x8914, struct.pack("16sH22x", b"lo", flags | 1))  # SIOCSIFFLAGS, IFF_UP


HOLDER = r"""
import ctypes, mmap, os, signal, socket, sys
what, path = sys.argv[1], sys.argv[2]
keep = []
if what == "mmap":  # a mapping and no fd: psmisc's and our m
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    fd = os.open(path, os.O_RDONLY)
    if libc.mmap(None, 4096, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0) in (None, ctypes.c_void_p(-1).value):
        sys.exit(1)
    os.close(fd)
elif what == "chroot":
    os.chroot(path)
    os.chdir("/")
elif what == "unix":
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen()
    keep.append(s)
elif what == "inet":
    port = int(path)
    t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("127.0.0.1", port)); t.listen()
    c = socket.create_connection(("127.0.0.1", port)); a, _ = t.accept()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", port + 1))
    t6 = socket.socket(socket.AF_INET6); t6.bind(("::1", port + 2)); t6.listen()
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::1", port + 3))
    keep += [t, c, a, u, t6, u6]
os.write(1, b"ready\n")
while True:
    signal.pause()
"""


class Scenario:
    """The processes and filesystems the cases look at; all undone by close()."""

    def __init__(self):
        self.procs = []
        self.swap = None
        self.work = tempfile.mkdtemp(prefix="fuser-diff-")
        w = self.work
        subprocess.run(["mount", "-t", "tmpfs", "fuser-diff-run", "/run"], check=True)
        self.t = os.path.join(w, "t")
        self.m = os.path.join(w, "m")
        self.b = os.path.join(w, "b")
        self.k = os.path.join(w, "k")
        for d in (self.t, self.m, self.b, self.k):
            os.mkdir(d)
        subprocess.run(["mount", "-t", "tmpfs", "fuser-diff", self.t], check=True)
        subprocess.run(["mount", "-t", "tmpfs", "fuser-kill", self.k], check=True)
        os.mkdir(os.path.join(self.t, "d"))
        os.mkdir(os.path.join(self.t, "d", "deeper"))
        for name in ("f", "g", "a b", "new\nline", "k"):
            with open(os.path.join(self.t, name), "w") as f:
                f.write("x\n")
        with open(os.path.join(self.k, "f"), "w") as f:
            f.write("x\n")
        os.symlink("f", os.path.join(self.t, "link"))
        os.symlink("nowhere", os.path.join(self.t, "dangling"))
        shutil.copy("/bin/sleep", os.path.join(self.t, "mysleep"))
        subprocess.run(["mount", "--bind", os.path.join(self.t, "d"), self.b], check=True)

        image = os.path.join(w, "ext2.img")
        with open(image, "wb") as f:
            f.truncate(64 << 20)
        subprocess.run(["mkfs.ext2", "-q", "-F", image], check=True)
        subprocess.run(["mount", "-o", "loop", image, self.m], check=True)  # libmount: autoclear
        with open("/proc/self/mountinfo") as f:
            self.dev = next(line.split(" - ")[1].split()[1] for line in f if line.split()[4] == self.m)
        with open(os.path.join(self.m, "data"), "wb") as f:
            f.write(b"\0" * 8192)
        swap = os.path.join(self.m, "swap")
        with open(swap, "wb") as f:
            f.write(b"\0" * (8 << 20))
        os.chmod(swap, 0o600)
        subprocess.run(["mkswap", "-q", swap], check=True)
        if subprocess.run(["swapon", swap], capture_output=True).returncode == 0:
            self.swap = swap

        t, m = self.t, self.m
        self.cwd_d = self.shell("cd %s/d && exec sleep 3600" % q(t))
        self.reader = self.shell("exec 3<%s/f; exec sleep 3600" % q(t))
        self.writer = self.shell("exec 4>>%s/f; exec sleep 3600" % q(t))
        self.exe = self.spawn([os.path.join(t, "mysleep"), "3600"])
        self.mapper = self.holder("mmap", os.path.join(m, "data"))
        self.cwd_m = self.shell("cd %s && exec sleep 3600" % q(m))
        self.node = self.shell("exec 7<%s; exec sleep 3600" % q(self.dev))
        self.inet = self.holder("inet", str(PORT))
        self.cwd_b = self.shell("cd %s && exec sleep 3600" % q(self.b))
        self.unix = self.holder("unix", os.path.join(t, "sock"))
        self.chroot = self.holder("chroot", t)
        self.spaced = self.shell("exec 5<%s; exec sleep 3600" % q(os.path.join(t, "a b")))
        self.wait_settled()

    def spawn(self, argv, **kwargs):
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, cwd="/", **kwargs)
        self.procs.append(p)
        return p

    def shell(self, script):
        return self.spawn(["bash", "-c", script])

    def holder(self, what, path):
        p = subprocess.Popen([sys.executable, "-c", HOLDER, what, path], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, cwd="/")
        self.procs.append(p)
        if p.stdout.readline() != b"ready\n":
            raise RuntimeError("holder %s %s did not start" % (what, path))
        p.stdout.close()
        return p

    def wait_settled(self):
        """Until every shell has exec'd its sleep (its fds and cwd are in place then)."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            comms = [comm(p.pid) for p in self.procs]
            if all(c in ("sleep", "mysleep", "python3") for c in comms):
                return
            time.sleep(0.05)
        raise RuntimeError("the scenario's processes did not settle: %s" % comms)

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        if self.swap:
            subprocess.run(["swapoff", self.swap], check=False)
        for target in (self.b, self.m, self.t, self.k):
            subprocess.run(["umount", "-l", target], check=False, capture_output=True)
        shutil.rmtree(self.work, ignore_errors=True)


def q(path):
    return "'" + path.replace("'", "'\\''") + "'"


def comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def run(binary, args, stdin=b""):
    env = dict(os.environ, **ENV)
    if ENV:
        env.pop("LANGUAGE", None)  # it would choose the messages' language instead of LC_ALL
    p = subprocess.run([binary] + args, input=stdin, capture_output=True, timeout=60, cwd=WORKDIR[0], env=env)
    # argv[0] as given, followed by a colon (full width in some languages: zh_CN "：") or by " -l"
    err = re.sub(re.escape(binary.encode()) + rb"(?=:|\xef\xbc\x9a| -l)", b"fuser", p.stderr)
    return p.stdout, err, p.returncode


WORKDIR = ["/"]


def normalise_ours(out):
    stdout, stderr, rc = out
    lines, in_option = [], False
    for line in stderr.split(b"\n"):
        in_option = OPTION_LINE in line or (in_option and line.startswith(HELP_COLUMN))
        if not in_option and SYNOPSIS_LINE not in line:
            lines.append(line)
    stderr = b"\n".join(lines)
    stderr = re.sub(rb"^(fuser \(PSmisc\) 23\.6) \(detach-utils [^)]*\)$", rb"\1", stderr, flags=re.M)
    return stdout, stderr, rc


def cases(s):
    t, m, b, dev = s.t, s.m, s.b, s.dev
    f = os.path.join(t, "f")
    out = [
        # files: readers and writers, -v's F and f, -u, -a, -s
        [f], ["-v", f], ["-u", f], ["-vu", f], ["-a", f], ["-av", f], ["-s", f], ["-w", f], ["-vw", f],
        ["-f", f], ["-I", f], ["--inode", "-v", f], [os.path.join(t, "g")], ["-a", os.path.join(t, "g")],
        ["-av", os.path.join(t, "g")], [os.path.join(t, "a b")], ["-v", os.path.join(t, "a b")],
        [os.path.join(t, "new\nline")], ["-a", os.path.join(t, "new\nline")],
        [os.path.join(t, "link")], ["-v", os.path.join(t, "link")], [os.path.join(t, "dangling")],
        [f, os.path.join(t, "g"), f], ["-v", f, os.path.join(t, "d")],
        # directories: cwd, root (chroot), bind mount source and target, mount points
        [t], ["-v", t], ["-u", t], [os.path.join(t, "d")], ["-v", os.path.join(t, "d")], [t + "/"], [t + "//d/"],
        [os.path.join(t, "d", "deeper")], ["-a", os.path.join(t, "d", "deeper")], [b], ["-v", b], ["-a", "-v", b],
        [m], ["-v", m], [os.path.join(t, "d", "..")], ["-v", os.path.join(t, "d", "..", "d")],
        # the executable and the mapping
        [os.path.join(t, "mysleep")], ["-v", os.path.join(t, "mysleep")], ["-u", os.path.join(t, "mysleep")],
        [os.path.join(m, "data")], ["-v", os.path.join(m, "data")],
        # filesystems: -m and -c on mount points and the block device, kernel mount and swap lines
        ["-m", t], ["-vm", t], ["-c", t], ["-mu", t], ["-vmu", t], ["-am", t], ["-sm", t],
        ["-m", m], ["-vm", m], ["-m", dev], ["-vm", dev], ["-c", dev], ["--mount", "--verbose", dev],
        [dev], ["-v", dev], ["-a", "-v", dev], ["-m", os.path.join(t, "d", "..")],
        ["-v", os.path.join(m, "swap")], [os.path.join(m, "swap")], ["-m", t, m, dev], ["-vm", t, "-", m],
        # -M: mount points only
        ["-M", t], ["-Mv", t + "/"], ["-M", os.path.join(t, "d")], ["-Ma", os.path.join(t, "d"), t],
        ["-M", "-m", m, f], ["-M", "/nonexistent-fuser"], ["-Ma", "/nonexistent-fuser/"],
        # names that do not resolve, and the word "file"
        ["/nonexistent-fuser"], ["nonexistent-fuser"], ["-a", "/nonexistent-fuser"], ["-av", "/nonexistent-fuser"],
        [f + "/below"], ["-a", f + "/below"], [f + "/file"], [t + "/file"], ["-n", "file", f], [""], ["-a", ""],
        ["-s", "/nonexistent-fuser"],
        # sockets: unix, TCP, UDP, both families, every name form
        [os.path.join(t, "sock")], ["-v", os.path.join(t, "sock")],
        ["%d/tcp" % PORT], ["-v", "%d/tcp" % PORT], ["-u", "%d/tcp" % PORT], ["-n", "tcp", str(PORT)],
        ["--namespace", "tcp", str(PORT)], ["-n", "tcp", "%d/udp" % (PORT + 1)], ["%d/udp" % (PORT + 1)],
        ["-n", "udp", str(PORT + 1)], ["-4", "%d/tcp" % PORT], ["-6", "%d/tcp" % PORT], ["%d/tcp" % (PORT + 2)],
        ["-4", "%d/tcp" % (PORT + 2)], ["-6", "%d/tcp" % (PORT + 2)], ["-6", "%d/udp" % (PORT + 3)],
        [",127.0.0.1,%d/tcp" % PORT], [",,%d/tcp" % PORT], ["%d,127.0.0.1/tcp" % PORT], [",localhost/tcp"],
        ["%d,::1/tcp" % PORT], ["-6", ",::1/tcp"], ["-4", ",127.0.0.1/udp"], [",,1/tcp"], ["1/tcp"],
        ["bogusport/tcp"], ["99999/tcp"], ["ssh/tcp"], [",nonexistent.invalid/tcp"], ["/tcp"], ["a/b/tcp"],
        ["-n", "tcp", "a/b"], ["-v", "-n", "tcp", str(PORT), "%d/udp" % (PORT + 1), t], ["-nv", "tcp", str(PORT)],
        ["-vn", "tcp", str(PORT)], ["-a", "-n", "udp", "9"], ["-s", "%d/tcp" % PORT],
        # options and names interleaved: each option for the names after it
        [f, "-m", t], ["-v", f, "-m", m, "-n", "tcp", str(PORT)], [t, "-c", t], ["-m", t, "-n", "file", m],
        ["-", f], ["-", "-", "-v", f], [f, "--", m], ["--", f], ["-v", "--", f],
        # usage errors, unknown options and signals, -l, -V, -h, in every place
        [], ["-v"], ["-a", "-s", f], ["-sa", f], ["-4", "-6", f], ["-46", f], ["-m", "%d/tcp" % PORT],
        ["-M", "-n", "udp", "9"], ["-n"], ["-n", "bogus", f], ["-x"], ["-vx", f], [f, "-x"], ["--bogus"],
        ["--mo", t], ["--namespace=tcp", "1"], ["--help"], ["-h"], [f, "-h"], ["--all", "--silent", f],
        ["-l"], ["--list-signals"], [f, "-l"], ["-vl"], ["-V"], ["--version"], ["-VTALRM"], [f, "-V"],
        ["-BOGUS", f], ["-SIG", f], ["-SIGIOT", f], ["-IOT", f], ["-RTMIN", f], ["-kHUP", f], ["-HUPx", f],
        ["-k", "-BOGUS", f], ["-9x", "-s", f], ["-sigkill", f], ["-s", "-HUP", f], ["-s", "-SIGTERM", f],
        ["-s", "-15", f], ["-s", "-0", f],
    ]
    return out


def locale_cases(s):
    """The cases run in every locale: one for each message and text psmisc translates that fuser shares."""
    t, m, dev = s.t, s.m, s.dev
    f = os.path.join(t, "f")
    return [
        [], ["-x"], ["--bogus"], ["-n"], ["-n", "bogus", f], ["-m", "%d/tcp" % PORT], ["-a", "-s", f],
        ["-4", "-6", f], ["-BOGUS", f], ["--help"], ["-V"], ["-l"], ["/nonexistent-fuser"], [f + "/below"],
        ["-M", os.path.join(t, "d")], ["bogusport/tcp"], ["-v", f], ["-vu", f], ["-u", f], ["-vm", dev],
        ["-vm", m], ["-av", os.path.join(t, "g")], ["-v", "%d/tcp" % PORT],
    ]


def kill_cases(s):
    """Each: (args with K for the file on the kill tmpfs, how many victims, which are writers, stdin)."""
    kf = os.path.join(s.k, "f")
    return [
        (["-k", kf], 2, (), b""),
        (["-k", "-TERM", kf], 2, (), b""),
        (["-kv", "-HUP", kf], 2, (1,), b""),
        (["-k", "-w", kf], 2, (1,), b""),
        (["-kwv", kf], 3, (0, 2), b""),
        (["-k", "-s", kf], 1, (), b""),
        (["-k", "-0", kf], 2, (), b""),
        (["-k", "-65", kf], 2, (), b""),
        (["-k", "-99999999999999999999", kf], 1, (), b""),
        (["-ki", kf], 3, (), b"y\nn\n"),
        (["-ki", "-TERM", kf], 2, (), b"maybe\nY\n\n"),
        (["-ki", kf], 2, (), b""),
        (["-km", s.k], 2, (), b""),
        (["-kvm", "-USR1", s.k], 2, (1,), b""),
        (["-k", kf, kf], 1, (), b""),
        (["-k", os.path.join(s.k, "nobody-uses-this")], 0, (), b""),
        (["-k", "-a", kf, "/nonexistent-fuser"], 1, (), b""),
    ]


def victims(s, count, writers):
    """COUNT sleeps holding the kill tmpfs's file open (read, or write for those in WRITERS)."""
    procs = []
    for i in range(count):
        mode = ">>" if i in writers else "<"
        procs.append(s.shell("exec 6%s%s; exec sleep 3600" % (mode, q(os.path.join(s.k, "f")))))
    deadline = time.monotonic() + 20
    while any(comm(p.pid) != "sleep" for p in procs) and time.monotonic() < deadline:
        time.sleep(0.02)
    return procs


def with_pids_named(out, procs):
    """The pids of PROCS as V0, V1, ... with the padding in front of them (their widths may differ)."""
    stdout, stderr, rc = out
    for i, p in enumerate(procs):
        stdout = re.sub(rb" *\b%d\b" % p.pid, b" V%d" % i, stdout)
        stderr = re.sub(rb"\b%d\b" % p.pid, b"V%d" % i, stderr)
    return stdout, stderr, rc


def without_kill(args):
    """ARGS without -k (out of bundles too): what the case would list, to be checked before it kills."""
    out = []
    for a in args:
        if a.startswith("-") and not re.match(r"^-[A-Z0-9]", a):
            a = a.replace("k", "")
            if a == "-":
                continue
        out.append(a)
    return out


def ended(procs):
    """Which of PROCS have ended (a signal's default action ends a sleep; signal 0 does nothing)."""
    time.sleep(0.1)
    return [p.poll() is not None for p in procs]


def run_kill_case(s, t, args, count, writers, stdin):
    label = ("LC_ALL=%s " % ENV["LC_ALL"] if ENV else "") + "fuser " + " ".join(args).replace(s.work + "/", "")
    results = []
    for binary in (REF, OURS):
        procs = victims(s, count, writers)
        # Before either tool's -k: whatever psmisc names for these names is one of this case's victims.
        listed = subprocess.run([REF] + without_kill(args), capture_output=True, cwd="/").stdout
        named = {int(x) for x in listed.split() if x.isdigit()}
        if not named <= {p.pid for p in procs}:
            t.check(label, False, "would signal processes this test did not start: %s" % (named - {p.pid for p in procs}))
            for p in procs:
                p.kill()
                p.wait()
            return
        out = run(binary, args, stdin)
        if binary == OURS:
            out = normalise_ours(out)
        results.append((with_pids_named(out, procs), ended(procs)))
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
    (ref_out, ref_ended), (our_out, our_ended) = results
    detail = []
    for what, a, b in zip(("stdout", "stderr", "exit"), our_out, ref_out):
        if a != b:
            detail.append("%s differs:\n  ours: %r\n  ref:  %r" % (what, a, b))
    if our_ended != ref_ended:
        detail.append("ended: ours %s, ref %s" % (our_ended, ref_ended))
    t.check(label, not detail, "\n".join(detail))


def main():
    enter_namespaces()
    t = Tap()
    loopback_up()
    os.chdir("/")
    s = Scenario()
    try:
        if LOCALES:
            run_locale_cases(s, t)
            return t.finish()
        WORKDIR[0] = s.t  # relative names are relative to the tmpfs
        relative = [["f"], ["-v", "d"], ["./f"], ["d/../f"], ["-m", "."], ["-vm", "."], ["-M", "."], ["x/file"],
                    ["f/file"], ["-a", "nonexistent-fuser"]]
        for args in relative:
            ours, ref = normalise_ours(run(OURS, args)), run(REF, args)
            t.check("cd tmpfs; fuser " + " ".join(args), ours == ref, describe(ours, ref))
        WORKDIR[0] = "/"
        for args in cases(s):
            ours, ref = normalise_ours(run(OURS, args)), run(REF, args)
            t.check("fuser " + " ".join(args).replace(s.work + "/", "").replace("\n", "\\n"), ours == ref,
                    describe(ours, ref))
            if os.environ.get("FUSER_DIFF_SHOW"):
                print("# %r -> %r %r %d" % (args, ref[0][:60], ref[1][:100], ref[2]))
        for args, count, writers, stdin in kill_cases(s):
            run_kill_case(s, t, args, count, writers, stdin)
    finally:
        s.close()
    return t.finish()


def run_locale_cases(s, t):
    for locale in LOCALES:
        ENV.clear()
        ENV.update({"LC_ALL": locale, "LOCPATH": LOCPATH, "DETACH_UTILS_LOCALEDIR": PODIR})
        for args in locale_cases(s):
            ours, ref = normalise_ours(run(OURS, args)), run(REF, args)
            t.check("LC_ALL=%s fuser %s" % (locale, " ".join(args).replace(s.work + "/", "")), ours == ref,
                    describe(ours, ref))
        # -i's question, and the answers the locale reads (rpmatch)
        for args, count, writers, stdin in kill_cases(s):
            if "-ki" in args and stdin:
                run_kill_case(s, t, args, count, writers, stdin)
                break
    ENV.clear()


def describe(ours, ref):
    lines = []
    for what, a, b in zip(("stdout", "stderr", "exit"), ours, ref):
        if a != b:
            lines.append("%s differs:\n  ours: %r\n  ref:  %r" % (what, a if what == "exit" else a[:800],
                                                              b if what == "exit" else b[:800]))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
