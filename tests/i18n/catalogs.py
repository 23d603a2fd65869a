#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The catalogs, checked against the sources (TAP, one case per check):

  - po/POTFILES lists exactly the sources that hold marked texts (tr, trf, trn, trnf, N_, shared; the demo's
    gettext and eval_gettext, read through scripts/demo.sh);
  - our format texts (trf, trnf) number their placeholders ({0}, never {}), so that a translation may reorder
    them and msgfmt can check them;
  - every language of po/LINGUAS translates every text of the sources, none fuzzy (msgfmt --statistics on
    its .po merged with a fresh template), and its placeholders and printf conversions match the English
    ones (msgfmt -c; {fmt}'s placeholders are checked as python-brace-format, which they share);
  - every msgid the drop-ins look up in util-linux's, psmisc's or glibc's domain (cli::ul, uln, psmisc, libc)
    is a msgid of that package's installed catalogs, so that it is found where they translate it.

usage: catalogs.py SRCDIR XGETTEXT_ARG...   (the xgettext arguments of po/meson.build)
"""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import po_file  # noqa: E402
from tap import Tap  # noqa: E402

SRC, XGETTEXT_ARGS = sys.argv[1], sys.argv[2:]
FORMAT_KEYWORDS = ["--keyword=trf", "--keyword=trnf:1,2"]
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
NUMBERED = re.compile(r"^\{\d+(:[^{}]*)?\}$")
UPSTREAM = {  # cli::NAME(...) looks up in DOMAIN: keywords, catalog, languages read ("*": every one installed)
    "util-linux": (["--keyword=ul", "--keyword=uln:1,2"], "util-linux.mo", "*"),
    "psmisc": (["--keyword=psmisc"], "psmisc.mo", "*"),
    "libc": (["--keyword=libc"], "libc.mo", "{de,ja,zh_CN}"),  # big: three complete ones
}


def sources():
    out = []
    for top in ("tools", "libcommon"):
        for ext in ("cc", "h"):
            out += glob.glob(os.path.join(SRC, top, "**", "*." + ext), recursive=True)
    out += glob.glob(os.path.join(SRC, "scripts", "*.sh"))  # the demo's words (scripts/demo.sh: scripts/demo)
    return sorted(os.path.relpath(p, SRC) for p in out)


def xgettext(files, args, out):
    """Runs xgettext on FILES with ARGS into OUT (C++, and shell for *.sh); its entries."""
    shell = [f for f in files if f.endswith(".sh")]
    for language, part, more in (("C++", [f for f in files if f not in shell], []), ("Shell", shell, ["-j"])):
        if not part:
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as listing:
            listing.write("\n".join(part) + "\n")
        try:
            subprocess.run(["xgettext", "-L", language, "--from-code=UTF-8", "--force-po", "-D", SRC, "-f",
                            listing.name, "-o", out] + more + args, check=True, capture_output=True, text=True)
        finally:
            os.unlink(listing.name)
    with open(out, encoding="utf-8") as f:
        return [e for e in po_file.parse(f.read()) if e.msgid]


def references(pot):
    with open(pot, encoding="utf-8") as f:
        return {ref.rsplit(":", 1)[0] for line in f if line.startswith("#: ") for ref in line[3:].split()}


def is_format(entry, formats):
    return entry.msgid in formats


def check_potfiles(t, tmp):
    with open(os.path.join(SRC, "po", "POTFILES")) as f:
        listed = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    pot = os.path.join(tmp, "all.pot")
    xgettext(sources(), XGETTEXT_ARGS, pot)
    marked = references(pot)
    t.check("po/POTFILES lists every source with marked texts", marked <= listed,
            "not listed: %s" % " ".join(sorted(marked - listed)))
    t.check("po/POTFILES lists no source without marked texts", listed <= marked,
            "nothing marked in: %s" % " ".join(sorted(listed - marked)))
    return sorted(listed)


def check_placeholders(t, formats):
    bad = [m for m in sorted(formats) if any(not NUMBERED.match(p) for p in PLACEHOLDER.findall(m)
                                             if p not in ("{{", "}}"))]
    t.check("format texts number their placeholders ({0}, not {})", not bad,
            "\n".join("%r" % m for m in bad))


def check_language(t, lang, pot, formats, tmp):
    merged = os.path.join(tmp, lang + ".merged.po")
    subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged,
                    os.path.join(SRC, "po", lang + ".po"), pot], check=True)
    with open(merged, encoding="utf-8") as f:
        text = f.read()
    flagged = os.path.join(tmp, lang + ".flagged.po")
    with open(flagged, "w", encoding="utf-8") as f:
        f.write(po_file.with_flag(text, "python-brace-format",
                                  lambda e: e.msgid in formats or e.msgid_plural in formats))
    p = subprocess.run(["msgfmt", "-c", "--statistics", "-o", os.devnull, flagged], capture_output=True,
                       text=True)
    stats = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
    complete = re.fullmatch(r"\d+ translated messages?\.", stats) is not None
    t.check("%s: every message translated, none fuzzy (msgfmt --statistics)" % lang, complete,
            stats + "\n(po/%s.po is behind the sources: ninja -C BUILD detach-utils-update-po, then translate)" % lang)
    t.check("%s: placeholders and conversions match (msgfmt -c)" % lang, p.returncode == 0, p.stderr)


def upstream_msgids(catalog, languages):
    """Every msgid of the installed catalogs named CATALOG (each language holds those it translates)."""
    ids = set()
    pattern = "/usr/share/locale/%s/LC_MESSAGES/%s"
    files = [f for lang in languages.strip("{}").split(",") for f in glob.glob(pattern % (lang, catalog))]

    def unformat(mo):
        return subprocess.run(["msgunfmt", mo], capture_output=True, text=True, errors="replace").stdout

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(unformat, files))
    for text in texts:
        for e in po_file.parse(text):
            ids.add(e.msgid)
            if e.msgid_plural:
                ids.add(e.msgid_plural)
    return ids


def check_upstream(t, tmp):
    tools = [f for f in sources() if f.startswith("tools/")]
    for domain, (keywords, catalog, languages) in UPSTREAM.items():
        wanted = xgettext(tools, ["-k"] + keywords, os.path.join(tmp, domain + ".pot"))
        ids = upstream_msgids(catalog, languages)
        label = "%s's msgids are %s's own (its installed catalogs)" % ("cli::" + keywords[0].split("=")[1].split(":")[0],
                                                                      domain)
        if not ids:
            if os.environ.get("CI") == "true":
                t.check(label, False, "no %s installed (scripts/install-deps installs util-linux-locales)" % catalog)
            else:
                t.skip(label, "no %s installed" % catalog)
            continue
        missing = [e.msgid for e in wanted if e.msgid not in ids or (e.msgid_plural and e.msgid_plural not in ids)]
        t.check(label + " (%d)" % len(wanted), not missing, "\n".join("not in %s: %r" % (catalog, m) for m in missing))


def main():
    t = Tap()
    with tempfile.TemporaryDirectory(prefix="i18n-catalogs-") as tmp:
        listed = check_potfiles(t, tmp)
        pot = os.path.join(tmp, "detach-utils.pot")
        xgettext(listed, XGETTEXT_ARGS, pot)
        formats = set()
        for e in xgettext(listed, ["-k"] + FORMAT_KEYWORDS, os.path.join(tmp, "formats.pot")):
            formats.add(e.msgid)
            if e.msgid_plural:
                formats.add(e.msgid_plural)
        check_placeholders(t, formats)
        with open(os.path.join(SRC, "po", "LINGUAS")) as f:
            languages = [w for line in f for w in line.split("#")[0].split()]
        t.check("po/LINGUAS has zh_CN and ja", {"zh_CN", "ja"} <= set(languages), " ".join(languages))
        for lang in languages:
            check_language(t, lang, pot, formats, tmp)
        check_upstream(t, tmp)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
