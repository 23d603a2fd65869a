// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/diag.h"

#include <cstdio>
#include <cstring>

#include "cli/i18n.h"

namespace cli {
namespace {
// Written once in main before anything runs; read-only afterwards.
std::string& name_storage() {
  static std::string name;
  return name;
}
std::string& path_storage() {
  static std::string path;
  return path;
}
}  // namespace

const std::string& program_name() {
  return name_storage();
}
const std::string& program_path() {
  return path_storage();
}

void set_program_name(const char* argv0, const char* default_name) {
  if (!argv0 || !*argv0) argv0 = default_name;
  path_storage() = argv0;
  const char* slash = std::strrchr(argv0, '/');
  name_storage() = slash ? slash + 1 : argv0;
}

void warnx(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: %s\n", program_name().c_str(), message.c_str());
}

void warn(const std::string& message, int err) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: %s: %s\n", program_name().c_str(), message.c_str(), std::strerror(err));
}

void try_help() {
  std::fputs(cformat(shared("Try '%s --help' for more information.\n"), program_name().c_str()).c_str(),
             stderr);
}

}  // namespace cli
