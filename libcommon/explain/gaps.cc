// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/gaps.h"

#include "base/i18n.h"
#include "explain/printable.h"

namespace detach {
namespace {

constexpr std::size_t kMaxDeniedNamed = 3;

std::string process_name(const DeniedProcess& p) {
  return std::to_string(p.pid) + (p.command.empty() ? "" : " (" + printable(p.command) + ")");
}

}  // namespace

std::string denied_processes_text(const ScanGaps& gaps) {
  const auto& denied = gaps.denied_processes;
  if (denied.empty()) return "";
  if (denied.size() == 1)
    return "could not read process " + process_name(denied.front()) + ": permission denied";
  std::string out = "could not read " + std::to_string(denied.size()) + " processes (permission denied): ";
  for (std::size_t i = 0; i < denied.size() && i < kMaxDeniedNamed; ++i)
    out += (i ? ", " : "") + process_name(denied[i]);
  if (denied.size() > kMaxDeniedNamed)
    out += " and " + std::to_string(denied.size() - kMaxDeniedNamed) + " more";
  return out;
}

std::string root_sees_more(const ScanGaps& gaps) {
  return gaps.unprivileged ? " (root sees more)" : "";
}

std::string unverified_mounts_text(const Snapshot& snapshot) {
  std::size_t n = snapshot.unverified_mounts().size();
  if (n == 0) return "";
  const std::string mounts =
      std::to_string(n) + (n == 1 ? " mount" : " mounts") + " pinned by processes " + (n == 1 ? "is" : "are");
  if (snapshot.gaps.in_child_pid_namespace)
    return mounts +
           " in no mount namespace of a process in this PID namespace: attached in a namespace of a process "
           "outside it or detached, only the initial PID namespace can tell";
  return mounts +
         " in no mount namespace this user can list: attached elsewhere or detached, only root can tell";
}

std::string unverified_mount_text(const Snapshot& snapshot) {
  if (snapshot.gaps.in_child_pid_namespace)
    return "no mount namespace of a process in this PID namespace has it mounted: it may be mounted in one "
           "outside it, only the initial PID namespace can tell";
  return "no mount namespace this user can list has it mounted: it may be mounted in another, only root can "
         "tell";
}

std::string unprobed_mount_text(const Mount& m) {
  if (m.unprobed.empty()) return "";
  return m.fstype.empty()
             ? trf("detached mount {0} could not be probed: {1}", m.key, m.unprobed)
             : trf("detached mount {0} ({1}) could not be probed: {2}", m.key, m.fstype, m.unprobed);
}

}  // namespace detach
