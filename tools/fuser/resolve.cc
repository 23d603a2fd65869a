// SPDX-License-Identifier: GPL-2.0-or-later
#include "resolve.h"

#include <sys/stat.h>

#include <cstring>
#include <map>

#include "base/i18n.h"
#include "cli/i18n.h"
#include "scan/network.h"

namespace fuser {
namespace {

using detach::PathFacts;
using detach::Result;

std::string basename_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Stats of every file-space name, each batch (psmisc's -I or not) under one bound.
std::vector<Result<PathFacts>> stat_names(const std::vector<NameArg>& names,
                                          std::chrono::milliseconds limit) {
  std::vector<Result<PathFacts>> out(names.size(), detach::fail(0, "stat"));
  for (detach::StatSync sync : {detach::StatSync::Cached, detach::StatSync::Sync}) {
    std::vector<std::string> paths;
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i].space != Space::File || names[i].sync_stat != (sync == detach::StatSync::Sync)) continue;
      paths.push_back(names[i].text);
      at.push_back(i);
    }
    if (paths.empty()) continue;
    auto facts = detach::stat_paths_bounded(paths, sync, limit);
    for (std::size_t k = 0; k < at.size(); ++k) out[at[k]] = std::move(facts[k]);
  }
  return out;
}

// A name its filesystem did not answer for: matched through its mount, found by the path's text alone.
void resolve_unanswered(Query& q, const OwnMounts& own, Output& o) {
  q.path = lexical_absolute(q.arg.text);
  q.label = q.path;
  if (q.arg.detached) {
    q.kind = QueryKind::Detached;
    return;
  }
  const detach::Mount* m = own.containing(q.path);
  if (m == nullptr) {
    o.err(cli::cformat(cli::psmisc("Cannot stat %s: %s\n"), q.arg.text.c_str(),
                       detach::tr("its filesystem did not answer in time")));
    return;
  }
  q.timed_out = true;
  q.own_mount = m->key;
  q.kind = q.arg.mount ? QueryKind::Filesystem : QueryKind::Path;
  o.err("fuser: " +
        (q.arg.mount
             ? detach::trf("{0}: its filesystem did not answer in time; matched by the mount at {1}",
                           q.arg.text, m->target)
             : detach::trf(
                   "{0}: its filesystem did not answer in time; matched by its path on the mount at {1}",
                   q.arg.text, m->target)) +
        "\n");
}

void resolve_file(Query& q, Result<PathFacts> facts, const OwnMounts& own, Output& o) {
  if (!facts) {
    const int err = facts.error().err;
    if (err == ETIMEDOUT) return resolve_unanswered(q, own, o);
    facts = PathFacts{};
    facts->stat_error = err ? err : EIO;  // the child could not even be run
  }
  q.facts = *facts;
  q.label = q.facts.canonical.empty() ? q.arg.text : q.facts.canonical;
  q.path = q.facts.canonical.empty() ? lexical_absolute(q.arg.text) : q.facts.canonical;
  q.stat_ok = q.facts.stat_error == 0;
  if (q.arg.detached) {
    // A former mount point need not exist any more: a failed stat is no error for it.
    q.kind = QueryKind::Detached;
    return;
  }
  if (!q.stat_ok) {
    if (q.facts.stat_error == ENOENT)
      o.err(cli::cformat(cli::psmisc("Specified filename %s does not exist.\n"), q.label.c_str()));
    else
      o.err(cli::cformat(cli::psmisc("Cannot stat %s: %s\n"), q.label.c_str(),
                         std::strerror(q.facts.stat_error)));
    return;
  }
  if (const detach::Mount* m = own.by_key(q.facts.mnt_id)) q.own_mount = m->key;
  q.kind = q.arg.mount ? QueryKind::Filesystem : QueryKind::File;
}

void resolve_inet_name(Query& q, Output& o) {
  q.label = q.arg.text + (q.arg.space == Space::Tcp ? "/tcp" : "/udp");
  q.kind = QueryKind::Sockets;
  Resolved r = resolve_inet(split_inet_name(q.label), q.arg.ipv4_only, q.arg.ipv6_only);
  if (!r.error.empty()) o.err(r.error);
  q.connections = std::move(r.connections);
}

}  // namespace

detach::DeviceNumber own_fs_dev(const Query& q, const OwnMounts& own) {
  if (q.stat_ok && S_ISBLK(q.facts.mode)) return q.facts.rdev;
  if (const detach::Mount* m = own.by_key(q.own_mount)) return m->dev;
  return q.facts.dev;
}

std::vector<Query> resolve_names(const std::vector<NameArg>& names, const OwnMounts& own,
                                 std::chrono::milliseconds limit, Output& o) {
  std::vector<Result<PathFacts>> facts = stat_names(names, limit);
  std::vector<Query> out;
  out.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    Query& q = out.emplace_back();
    q.arg = names[i];
    if (q.arg.space == Space::File)
      resolve_file(q, std::move(facts[i]), own, o);
    else
      resolve_inet_name(q, o);
  }
  return out;
}

void keep_mount_points(std::vector<Query>& queries, const OwnMounts& own, Output& o) {
  std::vector<Query> kept;
  for (Query& q : queries) {
    if (q.arg.space == Space::File) {
      while (q.label.size() > 1 && q.label.back() == '/') q.label.pop_back();
      if (!own.is_mount_point(q.label)) {
        o.err(cli::cformat(cli::psmisc("Specified filename %s is not a mountpoint.\n"), q.label.c_str()));
        continue;
      }
    }
    kept.push_back(std::move(q));
  }
  queries = std::move(kept);
}

void find_bound_sockets(std::vector<Query>& queries, const OwnMounts& own, const std::string& proc_root,
                        std::chrono::milliseconds limit) {
  auto wants = [](const Query& q) {
    return (q.kind == QueryKind::File && S_ISSOCK(q.facts.mode)) ||
           (q.kind == QueryKind::Filesystem && !q.timed_out);
  };
  bool any = false;
  for (const Query& q : queries) any = any || wants(q);
  if (!any) return;
  auto sockets = detach::bound_unix_sockets(proc_root);
  if (!sockets) return;

  // Candidates by their text first (a bound path is as its binder gave it), then each path stat'ed once.
  std::map<std::string, std::vector<std::uint64_t>> inodes_at;
  for (const detach::UnixSocket& s : *sockets) {
    if (s.path.empty() || s.path[0] != '/') continue;  // abstract, or relative to someone else's cwd
    for (const Query& q : queries) {
      if (!wants(q)) continue;
      bool candidate = false;
      if (q.kind == QueryKind::File) {
        candidate = basename_of(s.path) == basename_of(q.path);
      } else if (const detach::Mount* m = own.containing(lexical_absolute(s.path))) {
        candidate = m->dev == own_fs_dev(q, own);
      }
      if (candidate) inodes_at[s.path].push_back(s.inode);
    }
  }
  if (inodes_at.empty()) return;
  std::vector<std::string> paths;
  paths.reserve(inodes_at.size());
  for (const auto& [path, inodes] : inodes_at) paths.push_back(path);
  auto facts = detach::stat_paths_bounded(paths, detach::StatSync::Cached, limit);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (!facts[i] || facts[i]->stat_error != 0 || !S_ISSOCK(facts[i]->mode)) continue;
    const PathFacts& f = *facts[i];
    for (Query& q : queries) {
      if (!wants(q)) continue;
      bool bound_here = false;
      if (q.kind == QueryKind::File) {
        bound_here = f.dev == q.facts.dev && f.ino == q.facts.ino;
      } else {
        const detach::Mount* m = own.by_key(f.mnt_id);
        bound_here = (m != nullptr && m->dev == own_fs_dev(q, own)) || f.dev == q.facts.dev;
      }
      if (bound_here) q.socket_inodes.insert(inodes_at[paths[i]].begin(), inodes_at[paths[i]].end());
    }
  }
}

void find_inet_sockets(std::vector<Query>& queries, const Options& options, const std::string& proc_root,
                       Output& o) {
  for (const char* table : {"tcp", "udp", "tcp6", "udp6"}) {
    const std::string name = table;
    const bool v6 = name.back() == '6';
    if ((v6 && options.ipv4_only) || (!v6 && options.ipv6_only)) continue;
    const Space space = name.rfind("tcp", 0) == 0 ? Space::Tcp : Space::Udp;
    bool wanted = false;
    for (const Query& q : queries)
      for (const Connection& c : q.connections) wanted = wanted || (q.arg.space == space && c.v6 == v6);
    if (!wanted) continue;
    auto sockets = detach::inet_sockets(proc_root, name);
    if (!sockets) {
      // psmisc names a missing IPv4 table and says nothing of an IPv6 one (no IPv6 in the kernel).
      if (!v6) {
        std::string file = proc_root;
        file += "/net/" + name;
        o.err(cli::cformat(cli::psmisc("Cannot open protocol file \"%s\": %s\n"), file.c_str(),
                           std::strerror(sockets.error().err)));
      }
      continue;
    }
    for (Query& q : queries) {
      if (q.arg.space != space) continue;
      for (const Connection& c : q.connections)
        for (const detach::InetSocket& s : *sockets)
          if (connection_matches(c, s)) q.socket_inodes.insert(s.inode);
    }
  }
}

}  // namespace fuser
