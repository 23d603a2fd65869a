// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/i18n.h"

#include <libintl.h>

#include <clocale>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "base/i18n.h"
#include "base/version.h"
#include "cli/diag.h"
#include "cli/locale_dirs.h"

namespace cli {
namespace {

constexpr const char* kUtilLinux = "util-linux";
constexpr const char* kPsmisc = "psmisc";

// Set once in main, before anything prints; read-only afterwards.
Upstream& upstream_storage() {
  static Upstream upstream = Upstream::None;
  return upstream;
}

}  // namespace

void init_i18n(Upstream upstream) {
  upstream_storage() = upstream;
  std::setlocale(LC_ALL, "");
  const char* ours = secure_getenv("DETACH_UTILS_LOCALEDIR");
  ::bindtextdomain(detach::kTextDomain, ours && *ours ? ours : kLocaleDir);
  switch (upstream) {
    case Upstream::UtilLinux:
      ::bindtextdomain(kUtilLinux, kUpstreamLocaleDir);
      ::textdomain(kUtilLinux);
      break;
    case Upstream::Psmisc:
      ::bindtextdomain(kPsmisc, kUpstreamLocaleDir);
      ::textdomain(kPsmisc);
      break;
    case Upstream::None:
      ::textdomain(detach::kTextDomain);
      break;
  }
}

const char* ul(const char* msgid) {
  return ::dgettext(kUtilLinux, msgid);
}

const char* uln(const char* singular, const char* plural, unsigned long n) {
  return ::dngettext(kUtilLinux, singular, plural, n);
}

const char* psmisc(const char* msgid) {
  return ::dgettext(kPsmisc, msgid);
}

const char* libc(const char* msgid) {
  return ::dgettext("libc", msgid);
}

const char* shared(const char* msgid) {
  return upstream_storage() == Upstream::UtilLinux ? ul(msgid) : detach::tr(msgid);
}

std::string without_newline(std::string line) {
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

std::string util_linux_version_line() {
  return detach::version_line(
      without_newline(cformat(ul("%s from %s\n"), program_name().c_str(), "util-linux 2.38.1")));
}

std::string cformat(const char* format, ...) {
  // Twice through the arguments: once to size the string, once to fill it.
  va_list ap;
  va_start(ap, format);
  const int size = std::vsnprintf(nullptr, 0, format, ap);
  va_end(ap);
  std::string out;
  if (size <= 0) return out;
  out.resize(static_cast<std::size_t>(size));
  va_start(ap, format);
  std::vsnprintf(out.data(), out.size() + 1, format, ap);
  va_end(ap);
  return out;
}

}  // namespace cli
