// SPDX-License-Identifier: GPL-2.0-or-later
#include "mkfs_command.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "base/i18n.h"

namespace detach::guard {
namespace {

enum class ArgKind { None, Required, Optional };

struct LongOption {
  const char* name;
  ArgKind arg;
  char letter;  // the short option it stands for, 0 for a long-only one
};

// A -X option whose value is a comma-separated key=value list in which some keys name devices.
struct DeviceKeys {
  char letter;
  std::vector<const char*> keys;
  const char* role;
};

struct MkfsSpec {
  std::vector<const char*> programs;
  const char* short_options;  // getopt's optstring, as each mkfs passes it
  std::vector<LongOption> long_options;
  bool every_positional_a_device;  // btrfs: all of them; the others: the first (then a size)
  std::vector<DeviceKeys> device_keys;
  char creates_file_letter;  // mkfs.fat -C
};

// Option strings from the sources of the Debian 12 versions: e2fsprogs 1.47.0 (misc/mke2fs.c, util.c),
// xfsprogs 6.1 (mkfs/xfs_mkfs.c), btrfs-progs 6.2 (mkfs/main.c), dosfstools 4.2 (src/mkfs.fat.c),
// util-linux 2.38.1 (disk-utils/mkswap.c).
const std::vector<MkfsSpec>& specs() {
  static const std::vector<MkfsSpec> kSpecs = {
      {{"mke2fs", "mkfs.ext2", "mkfs.ext3", "mkfs.ext4", "mkfs.ext4dev"},
       "b:cd:e:g:i:jl:m:no:qr:s:t:vC:DE:FG:I:J:KL:M:N:O:R:ST:U:Vz:",
       {},
       false,
       {{'J', {"device"}, N_("journal device")}},
       0},
      {{"mkfs.xfs"},
       "b:c:d:i:l:L:m:n:KNp:qr:s:CfV",
       {},
       false,
       {{'d', {"name"}, "target"},
        {'l', {"logdev", "name"}, N_("log device")},
        {'r', {"rtdev", "name"}, N_("realtime device")}},
       0},
      {{"mkfs.btrfs"},
       "A:b:fl:n:s:m:d:L:R:O:r:U:VvMKq",
       {{"byte-count", ArgKind::Required, 'b'},
        {"csum", ArgKind::Required, 0},
        {"checksum", ArgKind::Required, 0},
        {"force", ArgKind::None, 'f'},
        {"leafsize", ArgKind::Required, 'l'},
        {"label", ArgKind::Required, 'L'},
        {"metadata", ArgKind::Required, 'm'},
        {"mixed", ArgKind::None, 'M'},
        {"nodesize", ArgKind::Required, 'n'},
        {"sectorsize", ArgKind::Required, 's'},
        {"data", ArgKind::Required, 'd'},
        {"version", ArgKind::None, 'V'},
        {"rootdir", ArgKind::Required, 'r'},
        {"nodiscard", ArgKind::None, 'K'},
        {"features", ArgKind::Required, 'O'},
        {"runtime-features", ArgKind::Required, 'R'},
        {"uuid", ArgKind::Required, 'U'},
        {"quiet", ArgKind::None, 'q'},
        {"verbose", ArgKind::None, 'v'},
        {"shrink", ArgKind::None, 0},
        {"help", ArgKind::None, 0}},
       true,
       {},
       0},
      {{"mkfs.fat", "mkfs.vfat", "mkfs.msdos", "mkdosfs", "mkfs.dos"},
       "aAb:cCf:D:F:g:Ii:l:m:M:n:r:R:s:S:h:v",
       {{"codepage", ArgKind::Required, 0},
        {"invariant", ArgKind::None, 0},
        {"mbr", ArgKind::Optional, 0},
        {"variant", ArgKind::Required, 0},
        {"offset", ArgKind::Required, 0},
        {"help", ArgKind::None, 0}},
       false,
       {},
       'C'},
      {{"mkswap"},
       "cfp:qL:v:U:Vh",
       {{"check", ArgKind::None, 'c'},
        {"force", ArgKind::None, 'f'},
        {"quiet", ArgKind::None, 'q'},
        {"pagesize", ArgKind::Required, 'p'},
        {"label", ArgKind::Required, 'L'},
        {"swapversion", ArgKind::Required, 'v'},
        {"uuid", ArgKind::Required, 'U'},
        {"version", ArgKind::None, 'V'},
        {"help", ArgKind::None, 'h'},
        {"lock", ArgKind::Optional, 0},
        {"verbose", ArgKind::None, 0}},
       false,
       {},
       0},
  };
  return kSpecs;
}

std::string base_name(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

const MkfsSpec* spec_for(const std::string& program) {
  for (const MkfsSpec& spec : specs())
    for (const char* name : spec.programs)
      if (program == name) return &spec;
  return nullptr;
}

// Short option C in OPTSTRING: its ArgKind, nullopt when getopt would reject it.
std::optional<ArgKind> short_option(const char* optstring, char c) {
  if (c == ':') return std::nullopt;
  const char* at = std::strchr(optstring, c);
  if (at == nullptr) return std::nullopt;
  if (at[1] != ':') return ArgKind::None;
  return at[2] == ':' ? ArgKind::Optional : ArgKind::Required;
}

// getopt_long's lookup: an exact name, else the one option NAME is a prefix of.
const LongOption* long_option(const MkfsSpec& spec, const std::string& name) {
  const LongOption* found = nullptr;
  for (const LongOption& opt : spec.long_options) {
    if (name == opt.name) return &opt;
    if (std::strncmp(opt.name, name.c_str(), name.size()) != 0) continue;
    if (found != nullptr) return nullptr;  // ambiguous: getopt refuses it
    found = &opt;
  }
  return found;
}

// "device=/dev/sdc,size=100" -> the values of KEYS; a "file" key (xfs: file=1) makes "name" a regular file.
std::vector<std::string> device_values(const std::string& list, const std::vector<const char*>& keys) {
  std::vector<std::pair<std::string, std::string>> parts;
  for (std::size_t at = 0; at <= list.size();) {
    std::size_t comma = std::min(list.find(',', at), list.size());
    std::string part = list.substr(at, comma - at);
    std::size_t eq = part.find('=');
    parts.emplace_back(part.substr(0, eq), eq == std::string::npos ? std::string() : part.substr(eq + 1));
    at = comma + 1;
  }
  bool is_file = std::any_of(parts.begin(), parts.end(),
                             [](const auto& p) { return p.first == "file" && p.second != "0"; });
  std::vector<std::string> out;
  for (const auto& part : parts) {
    const std::string& key = part.first;
    bool wanted = std::any_of(keys.begin(), keys.end(), [&key](const char* k) { return key == k; });
    if (wanted && !part.second.empty() && !(is_file && key == "name")) out.push_back(part.second);
  }
  return out;
}

// Every argument, and every value of a key=value list, that may name a device: for a command we cannot read.
std::vector<std::string> maybe_devices(const std::vector<std::string>& command) {
  std::vector<std::string> out;
  auto consider = [&out](const std::string& text) {
    bool path = !text.empty() && text[0] == '/';
    bool tag = text.starts_with("LABEL=") || text.starts_with("UUID=") || text.starts_with("PARTUUID=") ||
               text.starts_with("PARTLABEL=");
    if ((path || tag) && std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
  };
  for (std::size_t i = 1; i < command.size(); ++i) {
    const std::string& arg = command[i];
    consider(arg);
    std::size_t eq = arg.find('=');
    if (arg.starts_with("--") && eq != std::string::npos) consider(arg.substr(eq + 1));
    for (std::size_t at = 0; at <= arg.size();) {
      std::size_t comma = std::min(arg.find(',', at), arg.size());
      std::string part = arg.substr(at, comma - at);
      std::size_t part_eq = part.find('=');
      if (part_eq != std::string::npos) consider(part.substr(part_eq + 1));
      at = comma + 1;
    }
  }
  return out;
}

MkfsDevices unknown(MkfsDevices out, const std::vector<std::string>& command, std::string why) {
  out.known = false;
  out.devices.clear();
  out.maybe = maybe_devices(command);
  out.unknown_why = std::move(why);
  return out;
}

// Reads ARGS (ARGS[0] the program) as SPEC's getopt would; unknown() on anything it would refuse.
MkfsDevices parse(const MkfsSpec& spec, const std::vector<std::string>& args, MkfsDevices out) {
  std::vector<std::string> positionals;
  auto take_value = [&](char letter, const std::string& value) {
    if (letter == spec.creates_file_letter && letter != 0) out.creates_file = "-C";
    for (const DeviceKeys& keys : spec.device_keys)
      if (keys.letter == letter)
        for (std::string& dev : device_values(value, keys.keys))
          out.devices.push_back({std::move(dev), keys.role});
  };
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positionals.insert(positionals.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positionals.push_back(arg);  // GNU getopt permutes: options may follow the device
      continue;
    }
    if (arg[1] == '-') {
      if (spec.long_options.empty()) return unknown(out, args, trf("unknown option '{0}'", arg));
      std::size_t eq = arg.find('=');
      const LongOption* opt = long_option(spec, arg.substr(2, eq == std::string::npos ? eq : eq - 2));
      if (opt == nullptr) return unknown(out, args, trf("unknown option '{0}'", arg));
      if (opt->arg == ArgKind::None && eq != std::string::npos)
        return unknown(out, args, trf("option '{0}' takes no value", arg));
      std::string value;
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
      } else if (opt->arg == ArgKind::Required) {
        if (i + 1 >= args.size()) return unknown(out, args, trf("option '{0}' needs a value", arg));
        value = args[++i];
      }
      take_value(opt->letter, value);
      continue;
    }
    for (std::size_t c = 1; c < arg.size(); ++c) {
      std::optional<ArgKind> kind = short_option(spec.short_options, arg[c]);
      if (!kind) return unknown(out, args, trf("unknown option -- '{0}'", arg[c]));
      if (*kind == ArgKind::None) {
        take_value(arg[c], {});
        continue;
      }
      std::string value = arg.substr(c + 1);
      if (value.empty() && *kind == ArgKind::Required) {
        if (i + 1 >= args.size()) return unknown(out, args, trf("option -- '{0}' needs a value", arg[c]));
        value = args[++i];
      }
      take_value(arg[c], value);
      break;
    }
  }
  std::size_t device_positionals = spec.every_positional_a_device ? positionals.size() : 1;
  for (std::size_t i = 0; i < positionals.size() && i < device_positionals; ++i)
    out.devices.insert(out.devices.begin() + static_cast<long>(i), {positionals[i], "target"});
  return out;
}

// util-linux's mkfs front end: `mkfs [-V] [-t TYPE] [FS-OPTIONS] DEVICE [SIZE]` runs mkfs.TYPE (ext2 by
// default) with the rest; its own options come first.
std::vector<std::string> unwrap_mkfs_front_end(const std::vector<std::string>& command) {
  std::string type = "ext2";
  std::size_t i = 1;
  for (; i < command.size(); ++i) {
    const std::string& arg = command[i];
    if (arg == "-V" || arg == "--verbose") continue;
    if (arg == "-t" && i + 1 < command.size()) {
      type = command[++i];
    } else if (arg.starts_with("-t") && arg.size() > 2) {
      type = arg.substr(2);
    } else if (arg.starts_with("--type=")) {
      type = arg.substr(7);
    } else {
      break;
    }
  }
  std::vector<std::string> out{"mkfs." + type};
  out.insert(out.end(), command.begin() + static_cast<long>(i), command.end());
  return out;
}

}  // namespace

MkfsDevices mkfs_devices(const std::vector<std::string>& command) {
  MkfsDevices out;
  if (command.empty()) return out;
  std::vector<std::string> args = command;
  if (base_name(args[0]) == "mkfs") args = unwrap_mkfs_front_end(args);
  out.program = base_name(args[0]);
  const MkfsSpec* spec = spec_for(out.program);
  if (spec == nullptr) return unknown(out, args, trf("{0} is not a mkfs that mkfs-guard knows", out.program));
  return parse(*spec, args, out);
}

}  // namespace detach::guard
