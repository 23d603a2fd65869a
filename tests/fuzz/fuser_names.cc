// SPDX-License-Identifier: GPL-2.0-or-later
// fuser's NAME forms as it reads them: the whole command line (tools/fuser/command_line.cc
// parse_command_line, psmisc's rules: options apply to the names after them, `80/tcp` suffixes, -n SPACE),
// then each tcp/udp name's [local_port][,[rmt_host][,[rmt_port]]] (inet.cc split_inet_name), resolved
// (resolve_inet) when that cannot reach a name server, and matched (connection_matches). The fuzzer's bytes
// split at NUL are the arguments after "fuser".
// Properties: the same line parses the same; names are arguments in order, none an option, none after `--`,
// each as given or without a tcp/udp/file suffix; an option letter once seen applies to every later name;
// -m never with a tcp/udp name; a stop's message is one of psmisc's, or an unknown signal's name. The split
// joins back to the name's text before its first '/' (99 characters at most), no part holds a '/' and only
// the remote port a ','; a stream socket exactly for a "/tcp" name with no '/' of its own. A numeric port
// resolves to itself, a numeric host to its own address and family, and each connection matches a socket made
// from it and no socket of another local port or family.
#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "command_line.h"
#include "fuzz_check.h"
#include "inet.h"

namespace {

using fuser::CommandLine;
using fuser::NameArg;
using fuser::Space;

bool same_names(const std::vector<NameArg>& a, const std::vector<NameArg>& b) {
  auto equal = [](const NameArg& x, const NameArg& y) {
    return x.text == y.text && x.space == y.space && x.mount == y.mount && x.sync_stat == y.sync_stat &&
           x.ipv4_only == y.ipv4_only && x.ipv6_only == y.ipv6_only && x.detached == y.detached;
  };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), equal);
}

// NAME's text as it came from ARG: the whole argument, or the argument without its "/tcp", "/udp" or "/file".
bool name_from(const NameArg& name, const std::string& arg) {
  if (arg == name.text) return true;
  if (name.text.empty() || name.text.find('/') != std::string::npos || arg.rfind(name.text + "/", 0) != 0)
    return false;
  const std::string suffix = arg.substr(name.text.size() + 1);
  return suffix == "tcp" || suffix == "udp" || suffix == "file";
}

void check_command_line(const std::vector<std::string>& args, const CommandLine& line) {
  const CommandLine again = fuser::parse_command_line(args, "fuser");
  FUZZ_CHECK(same_names(line.names, again.names) && line.stop == again.stop &&
             line.message == again.message && line.options.signal == again.options.signal &&
             line.options.all_detached == again.options.all_detached);

  std::size_t end = 0;
  while (end < args.size() && args[end] != "--") ++end;
  std::size_t at = 0;
  const NameArg* previous = nullptr;
  for (const NameArg& name : line.names) {
    while (at < end && (args[at].rfind('-', 0) == 0 || !name_from(name, args[at]))) ++at;
    FUZZ_CHECK(at < end);  // an argument before `--`, in order, not an option
    ++at;
    FUZZ_CHECK(!(name.mount && name.space != Space::File));
    if (previous != nullptr) {
      // Options are never taken back: what applied to one name applies to every later one.
      FUZZ_CHECK(!previous->mount || name.mount);
      FUZZ_CHECK(!previous->sync_stat || name.sync_stat);
      FUZZ_CHECK(!previous->ipv4_only || name.ipv4_only);
      FUZZ_CHECK(!previous->ipv6_only || name.ipv6_only);
      FUZZ_CHECK(!previous->detached || name.detached);
    }
    previous = &name;
    FUZZ_CHECK(!(name.detached && line.options.all_detached));
  }
  switch (line.stop) {
    case fuser::Stop::Usage:
      FUZZ_CHECK(line.message.empty() || line.message.rfind("fuser: Invalid option ", 0) == 0 ||
                 line.message == "Namespace option requires an argument." ||
                 line.message == "Invalid namespace name" ||
                 line.message == "You can only use files with mountpoint options");
      break;
    case fuser::Stop::UnknownSignal:
      // The word after its '-' (a leading "SIG" taken off): the tail of some argument.
      FUZZ_CHECK(std::any_of(args.begin(), args.end(), [&](const std::string& arg) {
        return arg.size() > line.message.size() && arg.ends_with(line.message);
      }));
      break;
    default:
      FUZZ_CHECK(line.message.empty());
  }
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// The spec as psmisc reads it back from the split: "local,host,port" with absent parts empty.
void check_split(const std::string& text, const fuser::InetParts& parts, Space space) {
  const std::string label = text + (space == Space::Tcp ? "/tcp" : "/udp");
  FUZZ_CHECK(parts.stream == (space == Space::Tcp && text.find('/') == std::string::npos));
  const std::string spec = label.substr(0, std::min<std::size_t>(label.find('/'), 99));
  for (const auto* part : {&parts.local_port, &parts.remote_host, &parts.remote_port})
    FUZZ_CHECK(!*part || (*part)->find('/') == std::string::npos);
  FUZZ_CHECK(!parts.local_port || parts.local_port->find(',') == std::string::npos);
  FUZZ_CHECK(!parts.remote_host || parts.remote_host->find(',') == std::string::npos);
  if (spec.find(',') == std::string::npos) {
    FUZZ_CHECK(parts.local_port == spec && !parts.remote_host && !parts.remote_port);
    return;
  }
  for (const auto* part : {&parts.local_port, &parts.remote_host, &parts.remote_port})
    FUZZ_CHECK(!*part || !(*part)->empty());  // an empty field is an absent one
  std::string joined = parts.local_port.value_or("") + "," + parts.remote_host.value_or("");
  if (parts.remote_port) joined += "," + *parts.remote_port;
  // "80,host," drops its empty last field: the join is the spec, or the spec less that one ','.
  FUZZ_CHECK(joined == spec || joined + "," == spec);
}

std::optional<unsigned> small_port(const std::optional<std::string>& port) {
  if (!port || !all_digits(*port) || port->size() > 5) return std::nullopt;
  const unsigned value = static_cast<unsigned>(std::stoul(*port));
  return value <= 65535 ? std::optional(value) : std::nullopt;
}

// Resolves PARTS only when getaddrinfo stays off the network: numeric ports, a numeric host of a family the
// name allows.
void check_resolved(const fuser::InetParts& parts, const NameArg& name) {
  const std::optional<unsigned> local = small_port(parts.local_port);
  const std::optional<unsigned> remote = small_port(parts.remote_port);
  if ((parts.local_port && !local) || (parts.remote_port && !remote)) return;
  std::uint8_t address[16] = {};
  bool v6 = false;
  if (parts.remote_host) {
    if (inet_pton(AF_INET, parts.remote_host->c_str(), address) == 1)
      v6 = false;
    else if (inet_pton(AF_INET6, parts.remote_host->c_str(), address) == 1)
      v6 = true;
    else
      return;
    if ((v6 && name.ipv4_only) || (!v6 && name.ipv6_only)) return;
  }
  const fuser::Resolved resolved = fuser::resolve_inet(parts, name.ipv4_only, name.ipv6_only);
  FUZZ_CHECK(resolved.error.empty());
  if (!parts.remote_host && !parts.remote_port) FUZZ_CHECK(resolved.connections.size() == 2);
  if (parts.remote_host) FUZZ_CHECK(!resolved.connections.empty());
  for (const fuser::Connection& c : resolved.connections) {
    FUZZ_CHECK(c.local_port == local.value_or(0));
    FUZZ_CHECK(c.remote_port == remote.value_or(0));
    FUZZ_CHECK(c.any_address == !parts.remote_host);
    if (parts.remote_host) {
      FUZZ_CHECK(c.v6 == v6);
      FUZZ_CHECK(std::memcmp(c.remote_address.data(), address, v6 ? 16 : 4) == 0);
    }
    detach::InetSocket socket;
    socket.v6 = c.v6;
    socket.local_port = c.local_port;
    socket.remote_port = c.remote_port;
    socket.remote_address = c.remote_address;
    FUZZ_CHECK(fuser::connection_matches(c, socket));
    detach::InetSocket other_family = socket;
    other_family.v6 = !socket.v6;
    FUZZ_CHECK(!fuser::connection_matches(c, other_family));
    if (c.local_port != 0) {
      detach::InetSocket other_port = socket;
      other_port.local_port = static_cast<std::uint16_t>(c.local_port + 1);
      FUZZ_CHECK(!fuser::connection_matches(c, other_port));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> args = fuzz::split_at_nul(fuzz::as_string(data, size));
  const CommandLine line = fuser::parse_command_line(args, "fuser");
  check_command_line(args, line);
  for (const NameArg& name : line.names) {
    if (name.space == Space::File) continue;
    const fuser::InetParts parts =
        fuser::split_inet_name(name.text + (name.space == Space::Tcp ? "/tcp" : "/udp"));
    check_split(name.text, parts, name.space);
    check_resolved(parts, name);
  }
  return 0;
}
