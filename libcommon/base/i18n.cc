// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/i18n.h"

#include <libintl.h>

namespace detach {

const char* tr(const char* msgid) {
  return ::dgettext(kTextDomain, msgid);
}

const char* trn(const char* singular, const char* plural, unsigned long n) {
  return ::dngettext(kTextDomain, singular, plural, n);
}

namespace i18n_detail {

std::string format(const char* translated, fmt::string_view english, fmt::format_args args) {
  try {
    return fmt::vformat(translated, args);
  } catch (const fmt::format_error&) {
    return fmt::vformat(english, args);
  }
}

}  // namespace i18n_detail
}  // namespace detach
