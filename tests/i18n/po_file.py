# SPDX-License-Identifier: GPL-2.0-or-later
"""Just enough of the PO format for the i18n tests: the entries of a catalog (as xgettext, msgmerge and
msgunfmt write them), and the flags of an entry set before it is checked."""
import ast
import re


class Entry:
    def __init__(self):
        self.msgctxt = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = []        # one string, or one per plural form
        self.flags = []         # from "#, a, b"
        self.flag_line = None   # index of that line, if any
        self.key_line = None    # index of its first "msgctxt" or "msgid" line: flags go before it
        self.obsolete = False


def _string(text):
    # PO strings use C escapes; as Python literals they read the same for what catalogs hold (\n \t \" \\).
    return ast.literal_eval(text)


def parse(text):
    """The entries of TEXT (obsolete ones flagged), in order; the header (msgid "") is one of them."""
    entries = []
    lines = text.split("\n")
    entry, field = Entry(), None
    for i, line in enumerate(lines):
        stripped = line
        obsolete = line.startswith("#~")
        if obsolete:
            stripped = line[2:].lstrip()
        if not stripped.strip():
            if entry.msgid is not None:
                entries.append(entry)
            entry, field = Entry(), None
            continue
        if stripped.startswith("#,") and not obsolete:
            entry.flags = [f.strip() for f in stripped[2:].split(",") if f.strip()]
            entry.flag_line = i
            continue
        if stripped.startswith("#"):
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$', stripped)
        if m:
            if m.group(1) == "msgid" and entry.msgid is not None:  # no blank line between entries
                entries.append(entry)
                entry = Entry()
            field = m.group(1)
            value = _string(m.group(2))
            entry.obsolete = obsolete
            if entry.key_line is None:
                entry.key_line = i
            if field == "msgid":
                entry.msgid = value
            elif field == "msgid_plural":
                entry.msgid_plural = value
            elif field == "msgctxt":
                entry.msgctxt = value
            else:
                entry.msgstr.append(value)
            continue
        if stripped.startswith('"') and field:
            value = _string(stripped)
            if field == "msgid":
                entry.msgid += value
            elif field == "msgid_plural":
                entry.msgid_plural += value
            elif field == "msgctxt":
                entry.msgctxt += value
            else:
                entry.msgstr[-1] += value
    if entry.msgid is not None:
        entries.append(entry)
    return entries


def with_flag(text, flag, wanted):
    """TEXT with FLAG added to every entry for which wanted(entry) holds."""
    lines = text.split("\n")
    edits = []  # (line index, replace it (True) or insert before it (False), new line)
    for e in parse(text):
        if e.obsolete or e.msgid == "" or not wanted(e) or flag in e.flags:
            continue
        if e.flag_line is not None:
            edits.append((e.flag_line, True, "#, " + ", ".join(e.flags + [flag])))
        else:
            edits.append((e.key_line, False, "#, " + flag))
    for index, replace, line in sorted(edits, reverse=True):
        if replace:
            lines[index] = line
        else:
            lines.insert(index, line)
    return "\n".join(lines)
