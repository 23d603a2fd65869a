// SPDX-License-Identifier: GPL-2.0-or-later
// The tools' languages. A drop-in says what it shares with its original (util-linux 2.38.1's umount and
// findmnt, psmisc 23.6's fuser) in the original's own words, looked up in the original's text domain with its
// exact English msgid: with the original's catalog installed (Debian: util-linux-locales; psmisc ships its
// own) the two print the same bytes in every language, and without it both print English. What we add is in
// our domain (base/i18n.h: tr, trf, ...).
#pragma once

#include <string>

namespace cli {

// Whose words a tool speaks besides ours.
enum class Upstream { UtilLinux, Psmisc, None };

// As the originals begin main: setlocale(LC_ALL, ""), the upstream's text domain bound to the directory its
// catalogs are installed in and made the default one; ours bound to ours (DETACH_UTILS_LOCALEDIR overrides
// that for a build tree, except in a setuid process).
void init_i18n(Upstream upstream);

// The original's translation of MSGID, which must be its English text byte for byte.
const char* ul(const char* msgid) __attribute__((format_arg(1)));      // util-linux 2.38.1
const char* psmisc(const char* msgid) __attribute__((format_arg(1)));  // psmisc 23.6
const char* libc(const char* msgid) __attribute__((format_arg(1)));    // glibc (getopt's words)
// util-linux's plural forms (its P_()): the one N takes in the user's language.
const char* uln(const char* singular, const char* plural, unsigned long n)
    __attribute__((format_arg(1), format_arg(2)));

// A text the tools share (tools/cli): in util-linux's words for its drop-ins, in ours for the others.
const char* shared(const char* msgid) __attribute__((format_arg(1)));

// -V of a util-linux drop-in: "PROG from util-linux 2.38.1" in util-linux's words (its UTIL_LINUX_VERSION),
// then " (detach-utils VERSION)".
std::string util_linux_version_line();

// LINE without its final newline: a catalog's one-line text, for a caller that adds its own.
std::string without_newline(std::string line);

// printf into a string: the catalogs' texts above are printf formats.
std::string cformat(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace cli
