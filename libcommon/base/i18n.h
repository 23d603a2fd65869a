// SPDX-License-Identifier: GPL-2.0-or-later
// Our own words in the user's language: the "detach-utils" text domain (po/), looked up with dgettext, so
// that a tool whose default domain is util-linux's or psmisc's (the drop-ins) still finds them. libcommon
// never prints, but it builds texts; every text a person reads is marked with one of these (xgettext's
// keywords in po/meson.build), and nothing a program reads (JSON keys, -r/-P values, metrics, journal fields)
// is.
//
// Placeholders are {fmt}'s, numbered: "{0} is busy", never "{}", so that a translation may reorder them and
// msgfmt -c can check them (tests/i18n). Where no catalog has a text, it comes out in English, as given.
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>

namespace detach {

inline constexpr const char* kTextDomain = "detach-utils";

// MSGID translated, or MSGID itself.
const char* tr(const char* msgid);

// The form of a text with a number that N takes in the user's language (English: SINGULAR for 1).
const char* trn(const char* singular, const char* plural, unsigned long n);

// Marks a text for xgettext where it is only stored (a table of column descriptions); tr() it where printed.
constexpr const char* N_(const char* msgid) {
  return msgid;
}

namespace i18n_detail {
// TRANSLATED formatted with ARGS; ENGLISH instead when a catalog's text does not fit the arguments (a broken
// catalog must not take a message away).
std::string format(const char* translated, fmt::string_view english, fmt::format_args args);
}  // namespace i18n_detail

// tr() and format: trf("{0} is busy: {1}", device, why). The English text is checked against the arguments at
// compile time.
template <typename... Args>
std::string trf(fmt::format_string<Args...> msgid, Args&&... args) {
  const fmt::string_view english = msgid;
  return i18n_detail::format(tr(english.data()), english, fmt::make_format_args(args...));
}

// trn() and format: trnf("pinned by {0} process", "pinned by {0} processes", n, n).
template <typename... Args>
std::string trnf(fmt::format_string<Args...> singular, fmt::format_string<Args...> plural, unsigned long n,
                 Args&&... args) {
  const fmt::string_view one = singular, many = plural;
  return i18n_detail::format(trn(one.data(), many.data(), n), n == 1 ? one : many,
                             fmt::make_format_args(args...));
}

// Who reads a text that is said both ways. A person reads it in the user's language; a program reads the
// English text, the same bytes in every locale (JSON values, -r/-P and other column cells, journal records,
// metrics). A function that builds such a text (a pin's how, a pinner's words) takes the reader and says
// every word through it: words.trf("fd {0} ({1})", ...) is marked like trf, and English for a program.
class Words {
 public:
  static constexpr Words person() { return Words(true); }
  static constexpr Words program() { return Words(false); }

  const char* tr(const char* msgid) const { return translated_ ? detach::tr(msgid) : msgid; }
  const char* trn(const char* singular, const char* plural, unsigned long n) const {
    return translated_ ? detach::trn(singular, plural, n) : n == 1 ? singular : plural;
  }
  template <typename... Args>
  std::string trf(fmt::format_string<Args...> msgid, Args&&... args) const {
    if (translated_) return detach::trf(msgid, std::forward<Args>(args)...);
    return fmt::format(msgid, std::forward<Args>(args)...);
  }
  template <typename... Args>
  std::string trnf(fmt::format_string<Args...> singular, fmt::format_string<Args...> plural, unsigned long n,
                   Args&&... args) const {
    if (translated_) return detach::trnf(singular, plural, n, std::forward<Args>(args)...);
    return n == 1 ? fmt::format(singular, std::forward<Args>(args)...)
                  : fmt::format(plural, std::forward<Args>(args)...);
  }

 private:
  explicit constexpr Words(bool translated) : translated_(translated) {}
  bool translated_;
};

}  // namespace detach
