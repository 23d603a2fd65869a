// SPDX-License-Identifier: GPL-2.0-or-later
// fuser: psmisc 23.6's fuser on the shared Snapshot, plus --detached. Which processes use the named files,
// sockets and filesystems, and with -k ends them.
#include <pwd.h>

#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/i18n.h"
#include "cli/closestream.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "command_line.h"
#include "explain/gaps.h"
#include "explain/pin_source.h"
#include "kill.h"
#include "match.h"
#include "output.h"
#include "own_mounts.h"
#include "print.h"
#include "resolve.h"
#include "scan/mount_namespace.h"
#include "scan/network.h"
#include "scan/scan.h"
#include "usage.h"

namespace {

using namespace fuser;

constexpr int kFailure = 1;  // psmisc's every failure, and "nothing found"

int usage(Output& o, const std::string& message) {
  o.err(usage_text(message));
  return kFailure;
}

// -l, -V, -h, a bad option or signal: psmisc stops where it met it.
int act_on_stop(const CommandLine& cl, Output& o) {
  switch (cl.stop) {
    case Stop::ListSignals:
      o.out(signal_list_text());
      return 0;
    case Stop::Version:
      o.err(version_text());
      return 0;
    case Stop::UnknownSignal:
      o.err(cli::cformat(cli::psmisc("%s: unknown signal; %s -l lists signals.\n"), cl.message.c_str(),
                         cli::program_path().c_str()));
      return kFailure;
    case Stop::Usage:
    case Stop::None:
      break;
  }
  return usage(o, cl.message);
}

// What psmisc checks of the whole line once it is read, in its order; a usage error's exit code.
std::optional<int> check_line(CommandLine& cl, std::vector<Query>& queries, const OwnMounts& own, Output& o) {
  Options& opts = cl.options;
  if (queries.empty() && !opts.all_detached) return usage(o, cli::psmisc("No process specification given"));
  if (opts.ismountpoint) keep_mount_points(queries, own, o);
  if (opts.silent) {
    opts.verbose = false;
    opts.user = false;
    if (opts.all) return usage(o, cli::psmisc("all option cannot be used with silent option."));
  }
  if (opts.ipv4_only && opts.ipv6_only)
    return usage(o, cli::psmisc("You cannot search for only IPv4 and only IPv6 sockets at the same time"));
  return std::nullopt;
}

class UserNames {
 public:
  std::optional<std::string> of(uid_t uid) {
    auto it = names_.find(uid);
    if (it != names_.end()) return it->second;
    struct passwd pwd {};
    struct passwd* found = nullptr;
    char buf[4096];
    std::optional<std::string> name;
    if (::getpwuid_r(uid, &pwd, buf, sizeof buf, &found) == 0 && found != nullptr) name = found->pw_name;
    return names_[uid] = name;
  }

 private:
  std::map<uid_t, std::optional<std::string>> names_;
};

// What the scan could not see, where it could change the answer: processes it could not read and, for
// --detached, mounts it cannot tell detached (with -v, or always for a user who is not root, and for root in
// a PID namespace of its own, whose answer they change most); with -v and --detached, detached mounts it
// could not ask what they are.
void say_gaps(const detach::Snapshot& snap, bool detached, bool verbose, Output& o) {
  const bool say = verbose || snap.gaps.unprivileged;
  if (std::string denied = detach::denied_processes_text(snap.gaps); !denied.empty() && say)
    o.err("fuser: " + denied + detach::root_sees_more(snap.gaps) + "\n");
  if (!detached) return;
  if (std::string unverified = detach::unverified_mounts_text(snap);
      !unverified.empty() && (say || snap.gaps.in_child_pid_namespace))
    o.err("fuser: " + unverified + "\n");
  if (!verbose) return;
  for (const detach::Mount* m : snap.detached_mounts())
    if (std::string text = detach::unprobed_mount_text(*m, detach::Words::person()); !text.empty())
      o.err("fuser: " + text + "\n");
  // Only with --detached, ours: psmisc's -v output stays psmisc's.
  o.err("fuser: " + detach::pin_source_text(snap) + "\n");
}

// The matches, printed (and their processes ended) name by name, as psmisc does; its exit status.
int print_and_kill(const std::vector<Report>& reports, const Options& opts, detach::Snapshot& snap,
                   const detach::ScanOptions& scan, Output& o) {
  // Owner and command only where printed: -v, -u.
  if (opts.verbose || opts.user) {
    std::set<pid_t> pids;
    for (const Report& r : reports)
      for (const ProcessUse& use : r.processes) pids.insert(use.pid);
    detach::describe_processes(scan, snap, std::vector<pid_t>(pids.begin(), pids.end()));
  }
  UserNames users;
  Printer printer(
      opts, o,
      [&snap](pid_t pid) {
        const detach::Task* task = snap.task(pid);
        return task ? ProcessIdentity{task->owner, task->command} : ProcessIdentity{};
      },
      [&users](uid_t uid) { return users.of(uid); });
  Killer killer(opts, scan, snap.id_kind, o, stdin);
  for (const Report& r : reports) {
    printer.print(r);
    if (opts.kill) killer.kill(r);
  }
  const bool found = opts.kill ? killer.killed() : printer.matched();
  return found ? 0 : kFailure;
}

}  // namespace

int main(int argc, char** argv) {
  cli::init_i18n(cli::Upstream::Psmisc);  // as psmisc: -i's yes/no and the messages' language
  cli::set_program_name(argv[0], "fuser");
  StdOutput o;

  // The command line, by psmisc's rules.
  CommandLine cl = parse_command_line(std::vector<std::string>(argv + 1, argv + argc), cli::program_path());
  const detach::ScanOptions defaults;

  // Our mount table, and the names looked up (bounded), saying those that fail, as psmisc does while reading.
  OwnMounts own;
  if (!cl.names.empty() || cl.options.all_detached)
    if (auto mounts = detach::own_mounts(defaults.proc_root)) own = OwnMounts(std::move(*mounts));
  std::vector<Query> queries = resolve_names(cl.names, own, defaults.fs_call_timeout, o);

  // Where psmisc stops early, and its checks of the whole line.
  if (cl.stop != Stop::None) return cli::finish(act_on_stop(cl, o), kFailure);
  if (std::optional<int> code = check_line(cl, queries, own, o)) return cli::finish(*code, kFailure);
  const Options& opts = cl.options;
  if (opts.all_detached) {
    Query& every = queries.emplace_back();
    every.kind = QueryKind::Detached;
    every.all = true;
  }

  // Sockets: those bound on the named files and filesystems, and the ports named.
  find_bound_sockets(queries, own, defaults.proc_root, defaults.fs_call_timeout);
  find_inet_sockets(queries, opts, defaults.proc_root, o);

  // One snapshot of the system, with what these names need.
  const detach::ScanOptions scan = scan_options_for(queries, opts, own);
  detach::Result<detach::Snapshot> snapshot = detach::take_snapshot(scan);
  if (!snapshot) {
    cli::warnx(detach::trf("cannot look at the system: {0}", snapshot.error().message()));
    return cli::finish(kFailure, kFailure);
  }

  // Who uses each name; then print and kill.
  MatchContext ctx{*snapshot,
                   own,
                   scan,
                   detach::sockfs_device().value_or(detach::DeviceNumber{}),
                   opts.verbose || (opts.kill && opts.writeonly),
                   detach::nfs_exports(scan.proc_root).value_or(std::vector<std::string>{})};
  std::vector<std::string> notes;
  const std::vector<Report> reports = match_queries(queries, ctx, notes);
  const int code = print_and_kill(reports, opts, *snapshot, scan, o);

  // What the user should know about the answer, after it.
  if (!opts.silent) {
    for (const std::string& note : notes) o.err("fuser: " + note + "\n");
    bool detached = opts.all_detached, asked = false;
    for (const Query& q : queries) {
      detached = detached || q.kind == QueryKind::Detached;
      asked = asked || q.kind != QueryKind::None;
    }
    // Names that did not resolve were answered by their message: what the scan missed changes nothing.
    if (asked) say_gaps(*snapshot, detached, opts.verbose, o);
  }
  return cli::finish(code, kFailure);
}
