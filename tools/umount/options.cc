// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/i18n.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "option_table.h"
#include "usage.h"

namespace umount_tool {
namespace {

// util-linux's parse_pid(): a whole decimal number, else 0 (then the argument is a namespace path).
pid_t parse_pid(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  unsigned long value = std::strtoul(text.c_str(), &end, 10);
  auto pid = static_cast<pid_t>(value);
  if (pid < 0 || errno || end == text.c_str() || (end && *end)) return 0;
  return pid;
}

// --wait=SECONDS: a non-negative number of seconds, fractions allowed ("0.5").
std::optional<std::chrono::milliseconds> parse_seconds(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || errno || end == text.c_str() || *end || !std::isfinite(seconds) || seconds < 0 ||
      seconds > 1e9)
    return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

// One option, as util-linux's getopt loop handles it; a value means: stop with this exit code.
std::optional<int> apply_option(int code, const std::optional<std::string>& value, Context& ctx,
                                Config& cfg) {
  libmnt_context* cxt = ctx.get();
  const std::string arg = value.value_or("");
  switch (code) {
    case 'a':
      cfg.all = true;
      break;
    case 'A':
      cfg.all_targets = true;
      break;
    case 'c':
      mnt_context_disable_canonicalize(cxt, 1);
      break;
    case 'd':
      mnt_context_enable_loopdel(cxt, 1);
      break;
    case kOptFake:
      mnt_context_enable_fake(cxt, 1);
      break;
    case 'f':
      mnt_context_enable_force(cxt, 1);
      break;
    case 'i':
      mnt_context_disable_helpers(cxt, 1);
      break;
    case 'l':
      mnt_context_enable_lazy(cxt, 1);
      break;
    case 'n':
      mnt_context_disable_mtab(cxt, 1);
      break;
    case 'q':
      cfg.quiet = true;
      break;
    case 'r':
      mnt_context_enable_rdonly_umount(cxt, 1);
      break;
    case 'R':
      cfg.recursive = true;
      break;
    case 'O':
      cfg.options_pattern = arg;
      if (mnt_context_set_options_pattern(cxt, arg.c_str()) != 0) {
        cli::warn(cli::ul("failed to set options pattern"), errno);
        return MNT_EX_SYSERR;
      }
      break;
    case 't':
      cfg.types = arg;
      break;
    case 'v':
      mnt_context_enable_verbose(cxt, 1);
      break;
    case 'N': {
      pid_t pid = parse_pid(arg);
      std::string path = pid ? "/proc/" + std::to_string(pid) + "/ns/mnt" : arg;
      if (mnt_context_set_target_ns(cxt, path.c_str()) != 0) {
        cli::warn(cli::cformat(cli::ul("failed to set target namespace to %s"), path.c_str()), errno);
        return MNT_EX_SYSERR;
      }
      break;
    }
    case kOptWait:
      cfg.wait = true;
      if (value) {
        cfg.wait_timeout = parse_seconds(arg);
        if (!cfg.wait_timeout) {
          cli::warnx(detach::trf("invalid --wait argument: '{0}'", arg));
          cli::try_help();
          return MNT_EX_USAGE;
        }
      }
      break;
    case 'h':
      print_usage();
      return MNT_EX_SUCCESS;
    case 'V':
      print_version();
      return MNT_EX_SUCCESS;
    default:
      cli::try_help();
      return MNT_EX_USAGE;
  }
  return std::nullopt;
}

}  // namespace

ParseOutcome parse_options(const std::vector<std::string>& args, Context& ctx) {
  ParseOutcome out;
  const cli::GetoptTables tables(kShortOptions, kLongOptions);
  cli::ExclusiveCheck exclusive(exclusive_groups(), true);
  cli::GetoptOutcome parsed =
      cli::parse_getopt(tables, args, MNT_EX_USAGE, [&](int code, const std::optional<std::string>& value) {
        // A user's setuid umount: -c is ignored, any option beyond the harmless ones drops the privileges.
        if (ctx.restricted() && !allowed_unprivileged(code)) {
          if (code == 'c') return std::optional<int>();
          ctx.drop_privileges();
        }
        if (exclusive.conflicts(code, kLongOptions)) return std::optional<int>(MNT_EX_USAGE);
        return apply_option(code, value, ctx, out.config);
      });
  out.exit_code = parsed.exit_code;
  if (!out.exit_code) out.config.positionals = std::move(parsed.positionals);
  return out;
}

}  // namespace umount_tool
