// SPDX-License-Identifier: GPL-2.0-or-later
#include "detached_cells.h"

#include <libmount.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

#include "cells.h"
#include "explain/pinner.h"
#include "model/device_name.h"
#include "scan/devices.h"

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

// References, not pin records: a range of 1,000 fds is 1,000.
std::size_t pin_count(const std::vector<const Pin*>& pins) {
  std::size_t n = 0;
  for (const Pin* p : pins) n += p->kind == detach::PinKind::Fd ? p->fd_count() : 1;
  return n;
}

std::optional<std::string> nonempty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional(s);
}

// A filesystem or mount row names this many pinners; the rows below it name them all.
constexpr std::size_t kPinnersInSummary = 3;

// Cells are values, as util-linux's columns are: the same English words in every language, so that -r, -P,
// -J and a script reading the table get the same bytes whatever LANG is.
constexpr detach::Words kCellWords = detach::Words::program();

}  // namespace

std::vector<const Pin*> pins_for(const Snapshot& snap, const Mount& m) {
  std::vector<std::size_t> pins = snap.pins_keeping(m);
  // Nothing placed keeps it: what may (its pinners say "may").
  return snap.pins_at(pins.empty() ? snap.suspects_keeping(m) : pins);
}

bool is_pinner_column(Column col) {
  switch (col) {
    case Column::Pinners:
    case Column::Pid:
    case Column::Command:
    case Column::User:
    case Column::Unit:
    case Column::How:
      return true;
    default:
      return false;
  }
}

bool shows_pinners(const Config& cfg) {
  return std::any_of(cfg.columns.begin(), cfg.columns.end(), is_pinner_column);
}

std::optional<std::string> pins_summary_cell(Column col, const std::vector<const Pin*>& pins,
                                             const Snapshot& snap) {
  switch (col) {
    case Column::Pinners:
      return nonempty(detach::describe_pins(snap, pins, kCellWords, kPinnersInSummary));
    case Column::Pins:
      return std::to_string(pin_count(pins));
    case Column::Pids:
      return nonempty(pids_text(pins));
    default:
      return std::nullopt;
  }
}

std::optional<std::string> mount_cell(const Mount& m, Column col, const Config& cfg) {
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
      return nonempty(detach::merged_mount_options(m.vfs_options, m.fs_options));
    case Column::VfsOptions:
      return nonempty(m.vfs_options);
    case Column::FsOptions:
      return nonempty(m.fs_options);
    case Column::Namespace:
      return m.ns_id ? std::optional(std::to_string(m.ns_id)) : std::nullopt;
    case Column::DetachedAt:
      return m.detached_at ? std::optional(iso_time(*m.detached_at)) : std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<std::string> superblock_cell(const detach::Superblock& sb, Column col, const Config& cfg) {
  switch (col) {
    case Column::Source:
    case Column::Sources:
      return nonempty(sb.device);
    case Column::Majmin:
      return majmin_text(sb.dev.to_dev(), cfg);
    case Column::Fstype:
      return nonempty(sb.fstype);
    default:
      return std::nullopt;
  }
}

namespace {

std::optional<std::string> task_cell(const detach::Pinner& pinner, Column col, const Snapshot& snap) {
  const detach::Task* task = pinner.kind != detach::PinnerKind::Kernel ? snap.task(pinner.pid) : nullptr;
  switch (col) {
    case Column::Pid:
      if (pinner.kind == detach::PinnerKind::Kernel) return std::nullopt;
      return std::to_string(pinner.pid);
    case Column::Command:
      return task ? nonempty(task->command) : std::nullopt;
    case Column::User:
      return task ? nonempty(task->user) : std::nullopt;
    case Column::Unit:
      return task ? nonempty(task->unit) : std::nullopt;
    default:
      return std::nullopt;
  }
}

// A thread with its own tables says so in HOW: its PID cell is the process's.
std::string thread_prefix(const detach::Pinner& pinner) {
  return pinner.kind == detach::PinnerKind::Thread ? "thread " + std::to_string(pinner.tid) + ": " : "";
}

// A pinner the scan could not place on this filesystem (Pin::placed) MAY hold it, and its cells say so.
std::string maybe(const detach::Pinner& pinner) {
  return detach::certain(pinner) ? "" : "may: ";
}

}  // namespace

std::optional<std::string> pinner_cell(const detach::Pinner& pinner, Column col, const Snapshot& snap) {
  switch (col) {
    case Column::How:
      if (pinner.kind == detach::PinnerKind::Kernel)
        return maybe(pinner) + detach::describe_pinner(snap, pinner, kCellWords);
      return maybe(pinner) + thread_prefix(pinner) + detach::summarize_pins(pinner, kCellWords);
    case Column::Pinners:
      return maybe(pinner) + detach::describe_pinner(snap, pinner, kCellWords);
    case Column::Pins:
      return std::to_string(pin_count(pinner.pins));
    case Column::Pids:
      return nonempty(pids_text(pinner.pins));
    default:
      return task_cell(pinner, col, snap);
  }
}

std::optional<std::string> pin_cell(const detach::Pinner& pinner, const Pin& pin, Column col,
                                    const Snapshot& snap) {
  std::string how = (pin.placed() ? "" : "may: ") + pin.how(kCellWords);
  if (detach::is_proc_link_pin(pin.kind) && pin.kind != detach::PinKind::Mmap && !pin.path.empty())
    how += " " + pin.path;
  switch (col) {
    case Column::How:
      return thread_prefix(pinner) + how;
    case Column::Pinners:
      return detach::is_task_pin(pin.kind) ? detach::pinner_name(snap, pinner, kCellWords) + " " + how : how;
    case Column::Pins:
      return std::to_string(pin_count({&pin}));
    case Column::Pids:
      return nonempty(pids_text({&pin}));
    default:
      return task_cell(pinner, col, snap);
  }
}

std::optional<std::string> mount_cell(const Snapshot& snap, const Mount& m, Column col, const Config& cfg) {
  return col == Column::Sources ? sources_cell(snap, m.dev, m.source) : mount_cell(m, col, cfg);
}

std::optional<std::string> superblock_cell(const Snapshot& snap, const detach::Superblock& sb, Column col,
                                           const Config& cfg) {
  return col == Column::Sources ? sources_cell(snap, sb.dev, sb.device) : superblock_cell(sb, col, cfg);
}

bool same_device(const Mount& m, const std::string& source, const Snapshot* snap) {
  if (m.source == source) return true;
  detach::Result<detach::DeviceNumber> dev = detach::resolve_block_device(source);
  if (!dev) return false;
  if (m.on_device(*dev)) return true;
  // -S finds a filesystem by any of its SOURCES: a btrfs by each of its devices, an xfs not by its log.
  const detach::ClaimedDevice* claim = snap != nullptr ? snap->claim_by(m, *dev) : nullptr;
  return claim != nullptr && claim->role == detach::ClaimRole::Member;
}

std::optional<std::string> sources_cell(const Snapshot& snap, detach::DeviceNumber fs_dev,
                                        const std::string& source) {
  std::string out = source;
  for (const detach::ClaimedDevice* claim : snap.claims_of(fs_dev)) {
    if (claim->role != detach::ClaimRole::Member || claim->name.empty()) continue;
    if (!out.empty()) out += '\n';
    out += detach::device_node_path(claim->name);
  }
  return nonempty(out);
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
  if (f.options && !mnt_match_options(detach::merged_mount_options(m.vfs_options, m.fs_options).c_str(),
                                      f.options->c_str()))
    return false;
  if (f.majmin && m.dev.to_dev() != *f.majmin) return false;
  if (f.source && !same_device(m, *f.source, snap)) return false;
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
