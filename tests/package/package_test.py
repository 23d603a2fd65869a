#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The Debian package, end to end on this machine (root): dpkg-buildpackage builds detach-utils_*.deb from the
source tree, lintian finds nothing, no file of it overwrites another package's without a diversion, `meson
install --destdir` gives the same tree; then it is installed, our tools answer in place of the system's
(checks: replaced-tools), scripts that use the old options get what the system's tools give them (old-usage),
and after removal and purge the system's binaries, man pages and completions are back, unchanged by checksum.
Prints TAP.

The install window is short (a few seconds: other tests on this machine may call findmnt meanwhile), and
whatever happens in it, the system's files are put back on the way out: purge, then any diversion of ours
left is removed, then any file whose checksum still differs is restored from the copy taken before.

usage: package_test.py SOURCE_DIR VERSION
"""
import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from tap import Tap, skip_all_or_fail  # noqa: E402

SOURCE, VERSION = os.path.abspath(sys.argv[1]), sys.argv[2]
PACKAGE = "detach-utils"
# What the tools run with in the checks: the system's PATH only, so that the installed tools answer.
SYSTEM_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8", "COLUMNS": "200"}


def run(argv, **kwargs):
    kwargs.setdefault("text", True)
    return subprocess.run(argv, capture_output=True, **kwargs)


def data_lines(path):
    with open(path) as f:
        return [line.split("#", 1)[0].strip() for line in f if line.split("#", 1)[0].strip()]


def diverted_paths():
    """[(path, diverted to)] as debian/gen-maintscripts writes them into the maintainer scripts."""
    out = []
    for line in data_lines(os.path.join(SOURCE, "debian", "diversions")):
        for path in line.split()[1:]:
            names = ["/usr" + path, path] if path.startswith(("/bin/", "/sbin/")) else [path]
            for p in names:
                if p.startswith("/usr/share/man/") and p.endswith(".gz"):
                    stem, section, _ = p.rsplit(".", 2)
                    out.append((p, "%s.distrib.%s.gz" % (stem, section)))
                else:
                    out.append((p, p + ".distrib"))
    return out


def sha256(path):
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def alias(path):
    """The other name merged-/usr gives PATH (/bin/x and /usr/bin/x), or None."""
    for short in ("/bin/", "/sbin/", "/lib/"):
        if path.startswith(short):
            return "/usr" + path
        if path.startswith("/usr" + short):
            return path[len("/usr"):]
    return None


def owner(path):
    """The package dpkg has PATH registered to (by that name), or None."""
    p = run(["dpkg-query", "-S", path])
    if p.returncode != 0:
        return None
    for line in p.stdout.splitlines():
        pkgs, _, name = line.partition(": ")
        if name == path and not pkgs.startswith("diversion by"):
            return pkgs
    return None


def package_files(deb):
    """The regular files and symlinks of DEB, as absolute paths."""
    tarball = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], capture_output=True, check=True).stdout
    listing = subprocess.run(["tar", "-tvf", "-"], input=tarball, capture_output=True, check=True).stdout
    files = []
    for line in listing.decode().splitlines():
        if line[0] in "-l":
            name = line.split(None, 5)[5].split(" -> ")[0]
            files.append(name[1:] if name.startswith("./") else name)
    return sorted("/" + f.lstrip("/") for f in files)


def build(t, tree):
    """dpkg-buildpackage in a copy of the source tree: the .deb's path, or None."""
    listing = run(["git", "-C", SOURCE, "ls-files", "-co", "--exclude-standard", "-z"], check=True).stdout
    names = [n for n in listing.split("\0") if n and os.path.lexists(os.path.join(SOURCE, n))]
    pack = subprocess.Popen(["tar", "--null", "-T", "-", "-cf", "-"], cwd=SOURCE, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    unpack = subprocess.Popen(["tar", "-xf", "-", "-C", tree], stdin=pack.stdout)
    pack.stdin.write("\0".join(names).encode())
    pack.stdin.close()
    unpack.wait()
    pack.wait()
    # nocheck: run-tests runs the tests; the profile drops GoogleTest from the build dependencies too. noopt
    # (-O0): what this checks is the package, not the code's speed, and -O2 took most of the test's six minutes.
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck noopt parallel=%d" % (os.cpu_count() or 1),
               DEB_BUILD_PROFILES="nocheck")
    p = run(["dpkg-buildpackage", "-b", "-us", "-uc"], cwd=tree, env=env)
    debs = glob.glob(os.path.join(os.path.dirname(tree), "%s_%s_*.deb" % (PACKAGE, VERSION)))
    t.check("dpkg-buildpackage builds %s_%s_*.deb" % (PACKAGE, VERSION), p.returncode == 0 and len(debs) == 1,
            (p.stdout + p.stderr)[-4000:])
    return debs[0] if p.returncode == 0 and len(debs) == 1 else None


def static_checks(t, tree, deb, diversions):
    changes = glob.glob(os.path.join(os.path.dirname(tree), "%s_%s_*.changes" % (PACKAGE, VERSION)))
    p = run(["lintian", "--fail-on", "error,warning"] + changes)
    tags = [line for line in (p.stdout + p.stderr).splitlines() if line[:2] in ("E:", "W:")]
    t.check("lintian: no error, no warning (overrides justified in debian/)", p.returncode == 0 and not tags,
            p.stdout + p.stderr)

    diverted = {path for path, _ in diversions}
    clashes = []
    for f in package_files(deb):
        for name in filter(None, (f, alias(f))):
            other = owner(name)
            if other and other != PACKAGE and name not in diverted:
                clashes.append("%s (as %s) belongs to %s" % (f, name, other))
    t.check("no file of the package overwrites another package's without a diversion (debian/diversions)",
            not clashes, "\n".join(clashes))

    # Another distribution's packager: prefix /usr, -Dreplace_system_tools=true, every directory by default.
    obj = glob.glob(os.path.join(tree, "obj-*"))[0]
    dest = os.path.join(os.path.dirname(tree), "destdir")
    p = run(["meson", "configure", obj, "-Dbashcompletiondir=", "-Dzshcompletiondir=", "-Dfishcompletiondir=",
             "-Dsystemdsystemunitdir="])
    p2 = run(["meson", "install", "-C", obj, "--destdir", dest, "--quiet"])
    tree_files = sorted("/" + os.path.relpath(os.path.join(d, n), dest) for d, _, ns in os.walk(dest) for n in ns)
    # Less what debhelper adds (docs, lintian overrides) or compresses (man pages), and with the one directory
    # Debian sets apart (zsh's vendor-completions).
    expected = sorted(f[:-3] if f.startswith("/usr/share/man/") else
                      f.replace("/usr/share/zsh/vendor-completions/", "/usr/share/zsh/site-functions/")
                      for f in package_files(deb)
                      if not f.startswith(("/usr/share/doc/", "/usr/share/lintian/overrides/")))
    t.check("meson configure and meson install --destdir succeed", p.returncode == 0 and p2.returncode == 0,
            p.stderr + p2.stderr)
    t.equal("meson install --destdir (prefix /usr) gives the package's files", tree_files, expected)


class Installed:
    """The package installed, and whatever happens, removed again with the system's files as they were."""

    def __init__(self, deb, diversions, saved_dir):
        self.deb, self.diversions, self.saved_dir = deb, diversions, saved_dir
        self.before = {}

    def __enter__(self):
        for path, _ in self.diversions:
            real = os.path.realpath(path)
            self.before[path] = sha256(path)
            if self.before[path] and not os.path.exists(os.path.join(self.saved_dir, real.lstrip("/"))):
                copy = os.path.join(self.saved_dir, real.lstrip("/"))
                os.makedirs(os.path.dirname(copy), exist_ok=True)
                shutil.copy2(real, copy)
        self.verify_before = run(["dpkg", "--verify", "util-linux", "mount", "psmisc"]).stdout
        self.install = run(["dpkg", "-i", self.deb])
        return self

    def remove(self):
        return run(["dpkg", "--remove", PACKAGE])

    def purge(self):
        return run(["dpkg", "--purge", PACKAGE])

    def __exit__(self, *exc):
        # The way back, also after a failure midway: purge; our diversions that are left; the saved copies.
        if run(["dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE]).stdout not in ("", "not-installed"):
            self.purge()
        listed = run(["dpkg-divert", "--list"]).stdout.splitlines()
        for path, to in self.diversions:
            if any(line.startswith("diversion of %s to " % path) and line.endswith(" by " + PACKAGE) for line in listed):
                run(["dpkg-divert", "--package", PACKAGE, "--remove", "--rename", "--divert", to, path])
        for path, digest in self.before.items():
            if digest and sha256(path) != digest:
                real = os.path.realpath(path) if os.path.exists(path) else path
                copy = os.path.join(self.saved_dir, real.lstrip("/"))
                if os.path.exists(copy):
                    shutil.copy2(copy, real)
        return False


def installed_checks(t, pkg, deb_files_dir, diversions):
    t.check("dpkg -i installs it", pkg.install.returncode == 0, pkg.install.stdout + pkg.install.stderr)
    listed = run(["dpkg-divert", "--list"]).stdout
    missing = [p for p, to in diversions if "diversion of %s to %s by %s" % (p, to, PACKAGE) not in listed]
    t.check("each system file is diverted to its .distrib name", not missing, "not diverted: %s" % missing)
    moved = [(p, to) for p, to in diversions if pkg.before[p] and sha256(to) != pkg.before[p]]
    t.check("... and the system's file is there, unchanged", not moved, "%s" % moved)
    ours = [p for p, _ in diversions if os.path.exists(os.path.join(deb_files_dir, os.path.realpath(p).lstrip("/")))]
    not_ours = [p for p in ours if sha256(p) != sha256(os.path.join(deb_files_dir, os.path.realpath(p).lstrip("/")))]
    t.check("in their place, under both names, are the package's files", ours and not not_ours, "%s" % not_ours)
    st = os.stat("/usr/bin/umount")
    t.check("installed, umount is setuid root, as util-linux's (user umounts)",
            st.st_uid == 0 and st.st_mode & 0o7777 == 0o4755, "%o uid %d" % (st.st_mode & 0o7777, st.st_uid))

    for line in data_lines(os.path.join(HERE, "replaced-tools")):
        tool, option = line.split()
        help_text = run([tool, "--help"], env=SYSTEM_ENV)
        version = run([tool, "-V"], env=SYSTEM_ENV)
        t.check("installed, `%s` is ours: its --help has %s, -V names detach-utils %s" % (tool, option, VERSION),
                option in help_text.stdout + help_text.stderr and
                "(detach-utils %s)" % VERSION in version.stdout + version.stderr,
                help_text.stdout[-300:] + version.stdout + version.stderr)
    for line in data_lines(os.path.join(HERE, "old-usage")):
        argv = line.split()
        ours = run(argv, env=SYSTEM_ENV)
        theirs = run([shutil.which(argv[0] + ".distrib", path=SYSTEM_ENV["PATH"]) or argv[0] + ".distrib"] +
                     argv[1:], env=SYSTEM_ENV)
        t.check("a script's `%s` gets what the system's %s gives" % (line, argv[0]),
                (ours.stdout, ours.returncode) == (theirs.stdout, theirs.returncode),
                "ours:   %r %d\nsystem: %r %d" % (ours.stdout[:500], ours.returncode, theirs.stdout[:500],
                                                 theirs.returncode))
    pages = run(["man", "-w", "findmnt"], env=SYSTEM_ENV).stdout.strip()
    distrib = run(["man", "-w", "findmnt.distrib"], env=SYSTEM_ENV).stdout.strip()
    t.check("man findmnt is ours, man findmnt.distrib util-linux's",
            b"detach-utils" in run(["zcat", pages], text=False).stdout and distrib.endswith("findmnt.distrib.8.gz"),
            "%r %r" % (pages, distrib))
    units = ["/etc/systemd/system/sysinit.target.wants/detach-journal.service",
             "/etc/systemd/system/timers.target.wants/detach-metrics.timer"]
    t.check("detach-journal.service and detach-metrics.timer are enabled", all(os.path.islink(u) for u in units),
            "%s" % [u for u in units if not os.path.islink(u)])
    return units


def main():
    missing = [] if os.geteuid() == 0 else ["root"]
    missing += [t for t in ("dpkg-buildpackage", "dh", "lintian", "git", "meson", "man") if shutil.which(t) is None]
    if missing:
        skip_all_or_fail("needs " + " ".join(missing))
    # A timeout or ^C still runs the way back (finally, Installed.__exit__).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    t = Tap()
    work = tempfile.mkdtemp(prefix="package-test.")
    try:
        tree = os.path.join(work, "%s-%s" % (PACKAGE, VERSION))
        os.mkdir(tree)
        deb = build(t, tree)
        if deb is None:
            return t.finish()
        diversions = diverted_paths()
        static_checks(t, tree, deb, diversions)
        deb_files = os.path.join(work, "deb-files")
        run(["dpkg-deb", "-x", deb, deb_files], check=True)

        with Installed(deb, diversions, os.path.join(work, "saved")) as pkg:
            units = installed_checks(t, pkg, deb_files, diversions)
            removed = pkg.remove()
            t.check("dpkg --remove removes it", removed.returncode == 0, removed.stdout + removed.stderr)
            changed = [p for p, digest in pkg.before.items() if sha256(p) != digest]
            t.check("after removal the system's files are back, unchanged (sha256)", not changed, "%s" % changed)
            left = [line for line in run(["dpkg-divert", "--list"]).stdout.splitlines() if line.endswith(PACKAGE)]
            t.check("after removal no diversion of ours is left", not left, "\n".join(left))
            verify = run(["dpkg", "--verify", "util-linux", "mount", "psmisc"]).stdout
            t.equal("dpkg --verify util-linux mount psmisc says what it said before", verify, pkg.verify_before)
            purged = pkg.purge()
            t.check("dpkg --purge purges it", purged.returncode == 0 and
                    run(["dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE]).stdout in ("", "not-installed"),
                    purged.stdout + purged.stderr)
            t.check("after purge the units are no longer enabled", not any(os.path.lexists(u) for u in units))
            changed = [p for p, digest in pkg.before.items() if sha256(p) != digest]
            t.check("after purge the system's files are still the originals (sha256)", not changed, "%s" % changed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
