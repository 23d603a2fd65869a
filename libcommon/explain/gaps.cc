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
  // TRANSLATORS: {0} is a process: "1 (systemd)".
  if (denied.size() == 1)
    return trf("could not read process {0}: permission denied", process_name(denied.front()));
  std::string named;
  for (std::size_t i = 0; i < denied.size() && i < kMaxDeniedNamed; ++i)
    named += (i ? ", " : "") + process_name(denied[i]);
  if (denied.size() > kMaxDeniedNamed)
    named = trf("{0} and {1} more", named, denied.size() - kMaxDeniedNamed);
  // TRANSLATORS: {0} counts the processes, {1} names the first few.
  return trnf("could not read {0} process (permission denied): {1}",
              "could not read {0} processes (permission denied): {1}", denied.size(), denied.size(), named);
}

std::string root_sees_more(const ScanGaps& gaps) {
  // TRANSLATORS: said after what a scan without root's view could not read; keep the leading space.
  return gaps.unprivileged ? tr(" (root sees more)") : "";
}

std::string unverified_mounts_text(const Snapshot& snapshot) {
  std::size_t n = snapshot.unverified_mounts().size();
  if (n == 0) return "";
  if (snapshot.gaps.in_child_pid_namespace)
    return trnf(
        "{0} mount pinned by processes is in no mount namespace of a process in this PID namespace: "
        "attached in a namespace of a process outside it or detached, only the initial PID namespace can "
        "tell",
        "{0} mounts pinned by processes are in no mount namespace of a process in this PID namespace: "
        "attached in a namespace of a process outside it or detached, only the initial PID namespace can "
        "tell",
        n, n);
  return trnf(
      "{0} mount pinned by processes is in no mount namespace this user can list: attached elsewhere or "
      "detached, only root can tell",
      "{0} mounts pinned by processes are in no mount namespace this user can list: attached elsewhere or "
      "detached, only root can tell",
      n, n);
}

std::string unverified_mount_text(const Snapshot& snapshot) {
  if (snapshot.gaps.in_child_pid_namespace)
    return tr(
        "no mount namespace of a process in this PID namespace has it mounted: it may be mounted in one "
        "outside "
        "it, only the initial PID namespace can tell");
  return tr(
      "no mount namespace this user can list has it mounted: it may be mounted in another, only root can "
      "tell");
}

std::string unprobed_mount_text(const Mount& m, const Words& words) {
  std::string why;
  switch (m.unprobed) {
    case ProbeFailure::None:
      return "";
    case ProbeFailure::DeviceTimedOut:
      why = words.tr("its device did not answer in time");
      break;
    case ProbeFailure::FsTimedOut:
      why = words.tr("its filesystem did not answer in time");
      break;
    case ProbeFailure::Error:
      why = m.unprobed_error;
      break;
  }
  // TRANSLATORS: {0} is a mount's id, {1} its filesystem type; the last placeholder says why.
  return m.fstype.empty()
             ? words.trf("detached mount {0} could not be probed: {1}", m.key, why)
             : words.trf("detached mount {0} ({1}) could not be probed: {2}", m.key, m.fstype, why);
}

}  // namespace detach
