#include "options.h"

#include <getopt.h>
#include <libmount.h>
#include <sys/sysmacros.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "diag.h"
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

// util-linux's err_exclusive_options(), loop for loop. It walks rows while a row's first code is <= the
// option's and members while <= too, assuming sorted rows; the table is not quite sorted ({p,x} before
// {m,p,s}), so -m is never recorded in {m,p,s}: `-m -p` passes while `-s -p` fails. Scripts live with that,
// so we keep it.
class ExclusiveCheck {
 public:
  std::optional<Stop> check(Opt opt) {
    const int c = getopt_code(opt);
    for (std::size_t g = 0; g < kExclusive.size() && getopt_code(kExclusive[g].members[0]) <= c; ++g) {
      if (auto stop = check_group(kExclusive[g], seen_[g], opt, true)) return stop;
    }
    for (std::size_t g = 0; g < kExclusiveNew.size(); ++g)
      if (auto stop = check_group(kExclusiveNew[g], seen_new_[g], opt, false)) return stop;
    return std::nullopt;
  }

 private:
  static std::optional<Stop> check_group(const ExclusiveGroup& group, std::optional<Opt>& seen, Opt opt,
                                         bool sorted_scan) {
    const int c = getopt_code(opt);
    for (std::size_t m = 0; m < group.size; ++m) {
      if (sorted_scan && getopt_code(group.members[m]) > c) break;
      if (group.members[m] != opt) continue;
      if (!seen) {
        seen = opt;
      } else if (*seen != opt) {
        std::string msg = program_name() + ": mutually exclusive arguments:";
        for (std::size_t k = 0; k < group.size; ++k)
          msg += " --" + std::string(spec_of(group.members[k]).long_name);
        std::fprintf(stderr, "%s\n", msg.c_str());
        return Stop{EXIT_FAILURE};
      }
      break;
    }
    return std::nullopt;
  }

  std::array<std::optional<Opt>, kExclusive.size()> seen_{};
  std::array<std::optional<Opt>, kExclusiveNew.size()> seen_new_{};
};

std::optional<Stop> number_error(const std::string& what, const std::string& text, const detach::Error& e) {
  std::string msg = what + ": '" + text + "'";
  if (e.err == ERANGE)
    warn(msg, e.err);
  else
    warnx(msg);
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
      warnx("unknown action: " + std::string(rest));
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
        return warnx("unknown direction '" + value + "'"), Stop{EXIT_FAILURE};
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
        return warnx("invalid --kernel argument"), Stop{EXIT_FAILURE};
      break;
    case Opt::Task: {
      auto tid = parse_u32(value);
      if (!tid) return number_error("invalid TID argument", value, tid.error());
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
      if (!ms) return number_error("invalid timeout argument", value, ms.error());
      cfg.timeout = *ms;
      break;
    }
    case Opt::Id: {
      auto id = parse_s32(value);
      if (!id) return number_error("invalid id argument", value, id.error());
      cfg.match.id = *id;
      break;
    }
    case Opt::UniqId: {
      auto id = parse_u64(value);
      if (!id) return number_error("invalid uniq-id argument", value, id.error());
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
  GetoptTables tables;
  // getopt_long permutes argv (positionals move behind the options), so it gets a copy.
  std::vector<std::string> storage;
  storage.reserve(args.size() + 1);
  storage.push_back(program_path());
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (std::string& arg : storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(storage.size());

  // glibc keeps getopt's position in globals: optind = 0 starts a fresh scan. opterr = 1 lets glibc print
  // its own messages ("invalid option -- 'q'"), with argv[0] as util-linux's findmnt does.
  optind = 0;
  opterr = 1;
  ExclusiveCheck exclusive;
  int code = 0;
  while ((code = getopt_long(argc, argv.data(), tables.short_options(), tables.long_options(), nullptr)) !=
         -1) {
    if (code == '?') {
      try_help();
      out.exit_code = EXIT_FAILURE;
      return out;
    }
    const OptToken tok{opt_of_code(code), optarg ? std::optional<std::string>(optarg) : std::nullopt};
    if (tok.value && spec_of(tok.id).arg == Arg::None) {  // `--li=x`: a 2.38 abbreviation with a value
      std::fprintf(stderr, "%s: option '--%s' doesn't allow an argument\n", program_path().c_str(),
                   std::string(spec_of(tok.id).long_name).c_str());
      try_help();
      out.exit_code = EXIT_FAILURE;
      return out;
    }
    std::optional<Stop> stop = exclusive.check(tok.id);
    if (!stop) stop = apply_option(tok, out.config);
    if (stop) {
      out.exit_code = stop->code;
      return out;
    }
  }
  for (int i = optind; i < argc; ++i) out.config.positionals.emplace_back(argv[static_cast<std::size_t>(i)]);
  return out;
}

void apply_source_positional(const std::string& text, Config& cfg) {
  set_source_match(text, cfg);
}

}  // namespace findmnt
