# SPDX-License-Identifier: GPL-2.0-or-later
"""TAP for the Python tests: one case per check, counted by scripts/run-tests. A privileged test that cannot
run skips with its reason, and fails under CI=true (where every test must run)."""
import os
import sys


class Tap:
    def __init__(self):
        self.cases = []  # (ok, description, detail or skip reason, skipped)

    def check(self, description, ok, detail=""):
        self.cases.append((bool(ok), description, detail, False))
        return bool(ok)

    def equal(self, description, got, expected):
        return self.check(description, got == expected, "got:      %r\nexpected: %r" % (got, expected))

    def skip(self, description, reason):
        self.cases.append((True, description, reason, True))

    def finish(self):
        print("1..%d" % len(self.cases))
        failed = 0
        for n, (ok, description, detail, skipped) in enumerate(self.cases, 1):
            if skipped:
                print("ok %d - %s # SKIP %s" % (n, description, detail))
                continue
            print("%s %d - %s" % ("ok" if ok else "not ok", n, description))
            if not ok:
                failed += 1
                for line in str(detail).splitlines():
                    print("#   " + line)
        sys.stdout.flush()
        return 1 if failed else 0


def skip_all_or_fail(reason):
    """A test that cannot run at all: skipped, or under CI=true a failure."""
    if os.environ.get("CI") == "true":
        print("1..1\nnot ok 1 - %s (CI=true: a privileged test may not skip)" % reason)
        sys.exit(1)
    print("1..0 # SKIP " + reason)
    sys.exit(0)
