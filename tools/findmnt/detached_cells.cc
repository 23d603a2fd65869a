#include "detached_cells.h"

#include <libmount.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

#include "cells.h"
#include "explain/pinner.h"

namespace findmnt {
namespace {

using detach::Mount;
using detach::Pin;
using detach::Snapshot;

std::string pids_text(const std::vector<const Pin*>& pins) {
  std::set<pid_t> pids;
  for (const Pin* p : pins)
    if (detach::is_task_pin(p->kind)) pids.insert(p->pid);
  std::string out;
  for (pid_t pid : pids) out += (out.empty() ? "" : ",") + std::to_string(pid);
  return out;
}

std::optional<std::string> nonempty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional(s);
}

// OPTIONS as libmount merges them: the per-mount options, then the superblock's without their ro/rw (the
// mount's says it already).
std::string merged_options(const std::string& vfs, const std::string& fs) {
  std::string rest = fs;
  if (!vfs.empty() && (rest.starts_with("ro") || rest.starts_with("rw")) &&
      (rest.size() == 2 || rest[2] == ','))
    rest.erase(0, rest.size() == 2 ? 2 : 3);
  if (vfs.empty() || rest.empty()) return vfs + rest;
  return vfs + "," + rest;
}

// The columns that describe what pins, for a mount row or a superblock row alike.
std::optional<std::string> pins_cell(Column col, const std::vector<const Pin*>& pins, const Snapshot& snap) {
  switch (col) {
    case Column::Pinners:
      return nonempty(detach::describe_pins(snap, pins));
    case Column::Pins:
      return std::to_string(pins.size());
    case Column::Pids:
      return nonempty(pids_text(pins));
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<const Pin*> pins_for(const Snapshot& snap, const Mount& m) {
  return snap.pins_at(snap.pins_keeping(m));
}

std::optional<std::string> mount_cell(const Mount& m, Column col, const std::vector<const Pin*>& pins,
                                      const Snapshot& snap, const Config& cfg) {
  switch (col) {
    case Column::Id:
      return m.old_id ? std::optional(std::to_string(m.old_id)) : std::nullopt;
    case Column::UniqId:
      return m.unique_id ? std::optional(std::to_string(m.unique_id)) : std::nullopt;
    case Column::Parent:
      return m.parent && m.parent != m.key ? std::optional(std::to_string(m.parent)) : std::nullopt;
    case Column::Source:
    case Column::Sources:
      if (m.source.empty()) return std::nullopt;
      if (!cfg.nofsroot && !m.root.empty() && m.root != "/") return m.source + "[" + m.root + "]";
      return m.source;
    case Column::Majmin:
      return majmin_text(m.dev.to_dev(), cfg);
    case Column::Fstype:
      return nonempty(m.fstype);
    case Column::Target:
      return nonempty(m.target);
    case Column::Fsroot:
      return nonempty(m.root);
    case Column::Options:
      return nonempty(merged_options(m.vfs_options, m.fs_options));
    case Column::VfsOptions:
      return nonempty(m.vfs_options);
    case Column::FsOptions:
      return nonempty(m.fs_options);
    case Column::Namespace:
      return m.ns_id ? std::optional(std::to_string(m.ns_id)) : std::nullopt;
    case Column::DetachedAt:
      return m.detached_at ? std::optional(iso_time(*m.detached_at)) : std::nullopt;
    default:
      return pins_cell(col, pins, snap);
  }
}

std::optional<std::string> superblock_cell(const detach::Superblock& sb, Column col,
                                           const std::vector<const Pin*>& pins, const Snapshot& snap,
                                           const Config& cfg) {
  switch (col) {
    case Column::Source:
    case Column::Sources:
      return nonempty(sb.device);
    case Column::Majmin:
      return majmin_text(sb.dev.to_dev(), cfg);
    case Column::Fstype:
      return nonempty(sb.fstype);
    default:
      return pins_cell(col, pins, snap);
  }
}

std::optional<std::string> pin_cell(const Pin& pin, Column col, const Snapshot& snap) {
  const bool task_pin = detach::is_task_pin(pin.kind);
  const detach::Task* task = task_pin ? snap.task(pin.pid) : nullptr;
  switch (col) {
    case Column::Pid:
      return task_pin ? std::optional(std::to_string(pin.pid)) : std::nullopt;
    case Column::Command:
      return task ? nonempty(task->command) : std::nullopt;
    case Column::User:
      return task ? nonempty(task->user) : std::nullopt;
    case Column::Unit:
      return task ? nonempty(task->unit) : std::nullopt;
    case Column::How:
      return pin.how();
    case Column::Pinners:
      return detach::describe_pin(snap, pin);
    default:
      return std::nullopt;
  }
}

bool same_device(const Mount& m, const std::string& source) {
  if (m.source == source) return true;
  char* real = realpath(source.c_str(), nullptr);
  bool same = real && m.source == real;
  std::free(real);
  return same;
}

namespace {

// -N: detached from that namespace (when recorded), or pinned by a task in it.
bool in_namespace(const Mount& m, const detach::MountNamespaceRef& ns, const Snapshot* snap) {
  if (m.ns_id && m.ns_id == ns.id) return true;
  return snap && std::any_of(snap->pins.begin(), snap->pins.end(), [&](const Pin& p) {
           const detach::Task* t = p.mount == m.key ? snap->task(p.pid) : nullptr;
           return t && t->mnt_ns_inode == ns.inode;
         });
}

}  // namespace

bool detached_matches(const Mount& m, const Context& ctx, const Snapshot* snap) {
  const Match& f = ctx.match;
  if (f.id && m.old_id != static_cast<std::uint32_t>(*f.id)) return false;
  if (f.uniq_id && m.unique_id != *f.uniq_id) return false;
  if (f.fstype && !mnt_match_fstype(m.fstype.c_str(), f.fstype->c_str())) return false;
  if (f.options &&
      !mnt_match_options(merged_options(m.vfs_options, m.fs_options).c_str(), f.options->c_str()))
    return false;
  if (f.majmin && m.dev.to_dev() != *f.majmin) return false;
  if (f.source && !same_device(m, *f.source)) return false;
  if (f.target && m.target != *f.target) return false;
  return !ctx.task_ns || in_namespace(m, *ctx.task_ns, snap);
}

std::string iso_time(long long epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm local{};
  if (!localtime_r(&t, &local)) return std::to_string(epoch_seconds);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &local);
  std::string out(buf, n);
  if (out.size() > 2) out.insert(out.size() - 2, ":");  // +0100 -> +01:00
  return out;
}

}  // namespace findmnt
