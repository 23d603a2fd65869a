// SPDX-License-Identifier: GPL-2.0-or-later
#include "metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "explain/pinner.h"
#include "explain/printable.h"
#include "model/pinner.h"

namespace detach::metrics {
namespace {

constexpr const char* kPrefix = "detach_utils_";

void family(std::string& out, const char* name, const char* help) {
  out += fmt::format("# HELP {0}{1} {2}\n# TYPE {0}{1} gauge\n", kPrefix, name, help);
}

template <typename Value>
void sample(std::string& out, const char* name, const std::string& labels, Value value) {
  out += fmt::format("{}{}{}{}{} {}\n", kPrefix, name, labels.empty() ? "" : "{", labels,
                     labels.empty() ? "" : "}", value);
}

std::string label(const char* name, const std::string& value) {
  return fmt::format("{}=\"{}\"", name, label_value(value));
}

// The device a person names the filesystem by: its source when that is a device, else the superblock's
// device, else its number.
std::string device_of(const Snapshot& snapshot, const Mount& m) {
  if (m.source.starts_with("/dev/")) return m.source;
  if (const Superblock* sb = snapshot.superblock(m.dev); sb && !sb->device.empty()) return sb->device;
  return m.source.empty() ? m.dev.str() : m.source;
}

// The id findmnt --detached shows as UNIQ-ID (the old id when the kernel has no unique ones); empty for a
// mount known only through a kernel pin, which has none.
std::string mount_id_of(const Mount& m) {
  if (m.kernel_held()) return "";
  return std::to_string(m.unique_id ? m.unique_id : m.old_id);
}

// How many pinners of each kind keep M alive, or may (its suspects, when nothing placed keeps it).
std::map<std::pair<std::string, bool>, unsigned> pinners_by_kind(const Snapshot& snapshot, const Mount& m) {
  std::map<std::pair<std::string, bool>, unsigned> out;
  std::vector<std::size_t> pins = snapshot.pins_keeping(m);
  const bool certain = !pins.empty();
  if (!certain) pins = snapshot.suspects_keeping(m);
  for (const Pinner& p : group_pinners(snapshot.pins_at(pins))) ++out[{pinner_kind_name(p), certain}];
  return out;
}

void render_mounts(std::string& out, const Snapshot& snapshot, long long now) {
  std::vector<const Mount*> detached = snapshot.detached_mounts();

  std::map<std::pair<std::string, std::string>, unsigned> by_device;  // (device, fstype) -> mounts
  for (const Mount* m : detached) ++by_device[{device_of(snapshot, *m), m->fstype}];
  family(out, "detached_mounts",
         "Lazily unmounted mounts that are still alive (pinned), by device and filesystem type.");
  for (const auto& [key, count] : by_device)
    sample(out, "detached_mounts", label("device", key.first) + "," + label("fstype", key.second), count);

  // One series per detached mount: few on any host, and each is worth looking at.
  auto labels_of = [&](const Mount& m) {
    return label("mount_id", mount_id_of(m)) + "," + label("device", device_of(snapshot, m)) + "," +
           label("fstype", m.fstype) + "," + label("target", m.target);
  };
  family(
      out, "detached_mount_pinners",
      "Pinners keeping a detached mount alive: processes (or threads with their own files) and kernel "
      "objects (loop devices, swap files, other mounts). target is the former mount point, when recorded.");
  for (const Mount* m : detached)
    sample(out, "detached_mount_pinners", labels_of(*m), count_pinners(snapshot, *m));
  family(out, "detached_mount_pinners_by_kind",
         "Pinners keeping a detached mount alive, by kind (process, thread, loop, swap-file, mount, overlay, "
         "file-backed-mount, binfmt_misc, uprobe, ...). certain=\"false\": nothing seen holds the mount, and "
         "these are what the scan could not place on any filesystem: they may hold it.");
  for (const Mount* m : detached)
    for (const auto& [kind, count] : pinners_by_kind(snapshot, *m))
      sample(out, "detached_mount_pinners_by_kind",
             labels_of(*m) + "," + label("kind", kind.first) + "," +
                 label("certain", kind.second ? "true" : "false"),
             count);
  family(out, "detached_mount_age_seconds",
         "Seconds since the mount was lazily unmounted, from the detach journal; no sample for a detach that "
         "nobody recorded.");
  for (const Mount* m : detached)
    if (m->detached_at)
      sample(out, "detached_mount_age_seconds", labels_of(*m), std::max(0LL, now - *m->detached_at));
}

void render_scan(std::string& out, bool success, const ScanGaps& gaps, long long now) {
  family(
      out, "scan_gaps",
      "What the last scan could not see: /proc entries it was denied (denied), tasks that exited during it "
      "(vanished), mount namespaces it could not list (namespaces_unlisted). Pinners may be missing when "
      "denied or namespaces_unlisted is not 0.");
  if (success) {
    sample(out, "scan_gaps", label("kind", "denied"), gaps.denied);
    sample(out, "scan_gaps", label("kind", "vanished"), gaps.vanished);
    sample(out, "scan_gaps", label("kind", "namespaces_unlisted"), gaps.namespaces_unlisted);
  }
  family(out, "scan_success", "1 when the last scan of the system succeeded, 0 when it failed.");
  sample(out, "scan_success", "", success ? 1 : 0);
  family(out, "scan_timestamp_seconds", "When the last scan ran, in seconds since the epoch.");
  sample(out, "scan_timestamp_seconds", "", now);
}

}  // namespace

std::string label_value(const std::string& value) {
  std::string out;
  for (char c : escape_invalid_utf8(value)) {
    if (c == '\\' || c == '"')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string render(const Snapshot& snapshot, long long now) {
  std::string out;
  render_mounts(out, snapshot, now);
  render_scan(out, true, snapshot.gaps, now);
  return out;
}

std::string render_failed_scan(long long now) {
  std::string out;
  render_mounts(out, Snapshot{}, now);
  render_scan(out, false, {}, now);
  return out;
}

}  // namespace detach::metrics
