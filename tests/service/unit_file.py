# SPDX-License-Identifier: GPL-2.0-or-later
"""A systemd unit file read as systemd reads the lines these tests need: KEY=VALUE per section, later keys
appended, ExecStart= split into its argv (no systemd here to run it)."""
import shlex


def read_unit(path):
    """{(section, key): [values]} of the unit file PATH."""
    out, section = {}, None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            key, _, value = line.partition("=")
            out.setdefault((section, key.strip()), []).append(value.strip())
    return out


def exec_start(unit):
    """ExecStart= as an argv: the one command line of a simple or oneshot service, without systemd's prefixes
    ('-', '@', '+', '!', ':')."""
    (line,) = unit[("Service", "ExecStart")]
    return shlex.split(line.lstrip("-@+!:"))
