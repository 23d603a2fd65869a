// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <libmount.h>
#include <sys/sysmacros.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "base/i18n.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "explain/printable.h"
#include "getopt_tables.h"
#include "list_parse.h"
#include "numbers.h"
#include "usage.h"

namespace findmnt {
namespace {

// One option as getopt_long returned it.
struct OptToken {
  Opt id;
  std::optional<std::string> value;
};

// The option that stops the run: a message was printed (or help/version), the exit code is set.
struct Stop {
  int code;
};

// util-linux's exclusion table (option_table.h kExclusive), checked as its err_exclusive_options() checks it
// (quirks included), then our own groups in full.
class ExclusiveCheck {
 public:
  ExclusiveCheck() : legacy_(codes_of(kExclusive), true), newer_(codes_of(kExclusiveNew), false) {}
  std::optional<Stop> check(Opt opt) {
    const int c = getopt_code(opt);
    if (legacy_.conflicts(c, long_options()) || newer_.conflicts(c, long_options()))
      return Stop{EXIT_FAILURE};
    return std::nullopt;
  }

 private:
  template <std::size_t N>
  static std::vector<std::vector<int>> codes_of(const std::array<ExclusiveGroup, N>& groups) {
    std::vector<std::vector<int>> out;
    for (const ExclusiveGroup& group : groups) {
      std::vector<int> row;
      for (std::size_t m = 0; m < group.size; ++m) row.push_back(getopt_code(group.members[m]));
      out.push_back(std::move(row));
    }
    return out;
  }

  cli::ExclusiveCheck legacy_;
  cli::ExclusiveCheck newer_;
};

// An argument echoed in a message goes through printable(): a newline or escape sequence in it must not make
// a second line or steer the terminal (util-linux prints it raw; plain text reads the same).
std::optional<Stop> number_error(const std::string& what, const std::string& text, const detach::Error& e) {
  std::string msg = what + ": '" + detach::printable(text) + "'";
  if (e.err == ERANGE)
    cli::warn(msg, e.err);
  else
    cli::warnx(msg);
  return Stop{EXIT_FAILURE};
}

int poll_action_id(std::string_view name) {
  if (name == "move") return MNT_TABDIFF_MOVE;
  if (name == "mount") return MNT_TABDIFF_MOUNT;
  if (name == "umount") return MNT_TABDIFF_UMOUNT;
  if (name == "remount") return MNT_TABDIFF_REMOUNT;
  return -1;
}

// --poll=LIST; util-linux compares case-insensitively and quotes the list from the bad name on.
std::optional<Stop> parse_poll_actions(const std::string& list, Config& cfg) {
  auto to_id = [](std::string_view name, std::string_view rest) -> std::optional<int> {
    std::string lower;
    for (char c : name) lower += detach::output::ascii_lower(c);
    int id = poll_action_id(lower);
    if (id < 0) {
      cli::warnx(cli::cformat(cli::ul("unknown action: %s"), detach::printable(std::string(rest)).c_str()));
      return std::nullopt;
    }
    return id;
  };
  auto ids = parse_id_list(list, 4, to_id);
  if (!ids) return Stop{EXIT_FAILURE};
  cfg.poll_actions = *ids;
  return std::nullopt;
}

// -S and the first positional: "MAJ:MIN" matches the device number, anything else the source.
void set_source_match(const std::string& text, Config& cfg) {
  int maj = 0, min = 0;
  if (std::sscanf(text.c_str(), "%d:%d", &maj, &min) == 2) {
    cfg.match.majmin = makedev(maj, min);
    cfg.noswapmatch = true;
  } else {
    cfg.match.source = text;
  }
}

std::optional<Stop> apply_value_option(const OptToken& tok, Config& cfg);

// One option, as util-linux's getopt loop handles it.
std::optional<Stop> apply_option(const OptToken& tok, Config& cfg) {
  switch (tok.id) {
    case Opt::All:
      cfg.all = true;
      break;
    case Opt::Ascii:
      cfg.ascii = true;
      break;
    case Opt::Bytes:
      cfg.bytes = true;
      break;
    case Opt::Nocanonicalize:
      cfg.nocache = true;
      break;
    case Opt::Canonicalize:
      cfg.canonicalize = true;
      break;
    case Opt::Df:
      cfg.tree = false, cfg.df = true;
      break;
    case Opt::Evaluate:
      cfg.evaluate = true;
      break;
    case Opt::Invert:
      cfg.invert = true;
      break;
    case Opt::Json:
      cfg.json = true;
      break;
    case Opt::FirstOnly:
      cfg.first_only = true;
      break;
    case Opt::Notruncate:
      cfg.notruncate = true;
      break;
    case Opt::OutputAll:
      cfg.output_all = true;
      break;
    case Opt::Pairs:
      cfg.pairs = true, cfg.tree = false;
      break;
    case Opt::Mtab:
      cfg.tabtype = TabType::Mtab, cfg.tree = false;
      break;
    case Opt::Fstab:
      cfg.tabtype = TabType::Fstab, cfg.tree = false;
      break;
    case Opt::Raw:
      cfg.tree = false, cfg.raw = true;
      break;
    case Opt::List:
      cfg.tree = false;
      break;
    case Opt::Noheadings:
      cfg.noheadings = true;
      break;
    case Opt::Nofsroot:
      cfg.nofsroot = true;
      break;
    case Opt::Submounts:
      cfg.submounts = true;
      break;
    case Opt::Uniq:
      cfg.uniq = true;
      break;
    case Opt::Verify:
      cfg.verify = true;
      break;
    case Opt::Shell:
      cfg.shellvar = true;
      break;
    case Opt::Verbose:
      cfg.verbose = true;
      break;
    case Opt::Tree:
      cfg.force_tree = true;
      break;
    case Opt::Pseudo:
      cfg.pseudo = true;
      break;
    case Opt::Real:
      cfg.real = true;
      break;
    case Opt::VfsAll:
      cfg.vfs_all = true;
      break;
    case Opt::Shadowed:
      cfg.shadowed = true;
      break;
    case Opt::ListColumns:
      cfg.list_columns = true;
      break;
    case Opt::Detached:
      cfg.detached = true;
      break;
    case Opt::PerPin:
      cfg.per_pin = true;
      break;
    case Opt::Help:
      print_usage();
      return Stop{EXIT_SUCCESS};
    case Opt::Version:
      print_version();
      return Stop{EXIT_SUCCESS};
    default:
      return apply_value_option(tok, cfg);
  }
  return std::nullopt;
}

std::optional<Stop> apply_value_option(const OptToken& tok, Config& cfg) {
  const std::string value = tok.value.value_or("");
  switch (tok.id) {
    case Opt::Direction:
      if (value == "forward")
        cfg.direction = Direction::Forward;
      else if (value == "backward")
        cfg.direction = Direction::Backward;
      else
        return cli::warnx(cli::cformat(cli::ul("unknown direction '%s'"), detach::printable(value).c_str())),
               Stop{EXIT_FAILURE};
      break;
    case Opt::TabFile:
      cfg.tabfiles.push_back(value);
      break;
    case Opt::Output:
      cfg.output_arg = value;
      break;
    case Opt::Options:
      cfg.match.options = value;
      break;
    case Opt::Types:
      cfg.match.fstype = value;
      break;
    case Opt::Poll:
      if (tok.value)
        if (auto stop = parse_poll_actions(value, cfg)) return stop;
      cfg.poll = true, cfg.tree = false;
      break;
    case Opt::Kernel:
      cfg.tabtype = TabType::Kernel;
      if (!tok.value || value == "mountinfo")
        cfg.kernel_method = KernelMethod::Mountinfo;
      else if (value == "listmount")
        cfg.kernel_method = KernelMethod::Listmount;
      else
        return cli::warnx(detach::tr("invalid --kernel argument")), Stop{EXIT_FAILURE};
      break;
    case Opt::Task: {
      auto tid = parse_u32(value);
      if (!tid) return number_error(cli::ul("invalid TID argument"), value, tid.error());
      cfg.tabtype = TabType::Kernel;
      cfg.task_tid = *tid;
      cfg.tabfiles.push_back("/proc/" + std::to_string(*tid) + "/mountinfo");
      break;
    }
    case Opt::Source:
      set_source_match(value, cfg), cfg.noswapmatch = true;
      break;
    case Opt::Mountpoint:
    case Opt::Target:
      cfg.strict_target |= tok.id == Opt::Mountpoint;
      cfg.match.target = value, cfg.noswapmatch = true;
      break;
    case Opt::Timeout: {
      auto ms = parse_s32(value);
      if (!ms) return number_error(cli::ul("invalid timeout argument"), value, ms.error());
      cfg.timeout = *ms;
      break;
    }
    case Opt::Id: {
      auto id = parse_s32(value);
      if (!id) return number_error(detach::tr("invalid id argument"), value, id.error());
      cfg.match.id = *id;
      break;
    }
    case Opt::UniqId: {
      auto id = parse_u64(value);
      if (!id) return number_error(detach::tr("invalid uniq-id argument"), value, id.error());
      cfg.match.uniq_id = *id;
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

ParseOutcome parse_options(const std::vector<std::string>& args) {
  ParseOutcome out;
  const cli::GetoptTables tables(short_options(), long_options());
  ExclusiveCheck exclusive;
  cli::GetoptOutcome parsed =
      cli::parse_getopt(tables, args, EXIT_FAILURE, [&](int code, const std::optional<std::string>& value) {
        const OptToken tok{opt_of_code(code), value};
        std::optional<Stop> stop = exclusive.check(tok.id);
        if (!stop) stop = apply_option(tok, out.config);
        return stop ? std::optional<int>(stop->code) : std::nullopt;
      });
  out.exit_code = parsed.exit_code;
  if (!out.exit_code) out.config.positionals = std::move(parsed.positionals);
  return out;
}

void apply_source_positional(const std::string& text, Config& cfg) {
  set_source_match(text, cfg);
}

}  // namespace findmnt
