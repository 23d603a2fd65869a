// SPDX-License-Identifier: GPL-2.0-or-later
#include "snapshot_dump.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <sstream>
#include <stdexcept>

#include "explain/gaps.h"

namespace bpftest {

namespace {

void dump_mount(std::ostringstream& out, const detach::Mount& m) {
  out << "mount " << m.key << " unique=" << m.unique_id << " old=" << m.old_id << " parent=" << m.parent
      << " dev=" << m.dev.str() << " root=" << m.root << " target=" << m.target << " fstype=" << m.fstype
      << " source=" << m.source << " vfs=" << m.vfs_options << " fs=" << m.fs_options << " ns_id=" << m.ns_id
      << " ns_inode=" << m.ns_inode << " attached=" << m.attached << " unverified=" << m.unverified
      << " detached_at=" << (m.detached_at ? std::to_string(*m.detached_at) : "-")
      << " unprobed=" << detach::unprobed_mount_text(m, detach::Words::program()) << "\n";
}

void dump_pin(std::ostringstream& out, const detach::Pin& p) {
  out << "pin " << detach::pin_kind_name(p.kind) << " pid=" << p.pid << " tid=" << p.tid << " fd=" << p.fd
      << " fd_last=" << p.fd_last << " mount=" << p.mount << " dev=" << p.dev.str() << " ino=" << p.ino
      << " rdev=" << p.rdev.str() << " access=" << detach::access_name(p.access) << " detailed=" << p.detailed
      << " path=" << p.path << " holder=" << p.holder << " role=" << p.role << " via=" << p.via
      << " count=" << p.count << " by_former_target=" << p.by_former_target
      << " resolves_nowhere=" << p.resolves_nowhere << " how=" << p.how(detach::Words::program()) << "\n";
}

void dump_task(std::ostringstream& out, const detach::Task& t) {
  out << "task " << t.pid << " command=" << t.command << " uid=" << t.uid << " user=" << t.user
      << " owner=" << t.owner << " unit=" << t.unit << " cgroup=" << t.cgroup << " ns=" << t.mnt_ns_inode
      << " start=" << t.start_time << "\n";
}

bool on_devices(const detach::DeviceNumber& dev, const DumpFilter& filter) {
  for (const detach::DeviceNumber& d : filter.devices)
    if (d == dev) return true;
  return false;
}

// The test's pins: those of its processes, and those the kernel holds (no process) on its filesystems or
// for its kernel objects.
bool wanted(const detach::Snapshot& snapshot, const detach::Pin& pin, const DumpFilter& filter) {
  if (filter.pids.count(pin.pid)) return true;
  if (pin.pid != 0) return false;
  if (filter.holders.count(pin.holder)) return true;
  const detach::Mount* m = snapshot.mount(pin.mount);
  return on_devices(pin.dev, filter) || (m != nullptr && on_devices(m->dev, filter));
}

}  // namespace

std::string CanonicalDump(const detach::Snapshot& snapshot, const DumpFilter& filter) {
  std::set<detach::MountKey> mounts;
  std::ostringstream pins;
  for (const detach::Pin& pin : snapshot.pins) {
    if (!wanted(snapshot, pin, filter)) continue;
    dump_pin(pins, pin);
    mounts.insert(pin.mount);
  }
  std::ostringstream out;
  for (const auto& [key, m] : snapshot.mounts)
    if (mounts.count(key) || on_devices(m.dev, filter)) dump_mount(out, m);
  out << pins.str();
  for (const auto& [pid, task] : snapshot.tasks)
    if (filter.pids.count(pid)) dump_task(out, task);
  return out.str();
}

BothSources TakeFromBothSources(detach::ScanOptions options, const DumpFilter& filter) {
  BothSources both;
  options.source = detach::ScanSource::Bpf;
  auto bpf = detach::take_snapshot(options);
  if (!bpf) throw std::runtime_error("BPF snapshot: " + bpf.error().message());
  options.source = detach::ScanSource::Proc;
  auto proc = detach::take_snapshot(options);
  if (!proc) throw std::runtime_error("/proc snapshot: " + proc.error().message());
  both.bpf = CanonicalDump(*bpf, filter);
  both.proc = CanonicalDump(*proc, filter);
  both.bpf_used = bpf->pin_source.bpf;
  both.bpf_why = detach::pin_source_why(bpf->pin_source, detach::Words::program());
  return both;
}

std::vector<NamedOptions> ToolOptions(const detach::DeviceNumber& dev) {
  std::vector<NamedOptions> out(6);
  out[0].name = "every pin detailed";
  out[1].name = "fd paths";
  out[1].options.fd_paths = true;
  out[2].name = "first detached fd detailed";
  out[2].options.detached_details = false;
  out[3].name = "no attached mount detailed";
  out[3].options.detail_pins_of = [](const detach::Mount&) { return false; };
  out[4].name = "the device's mounts detailed";
  out[4].options.detail_pins_of = [](const detach::Mount&) { return false; };
  out[4].options.detail_devices = {dev};
  out[5].name = "no mappings, no threads";
  out[5].options.mmaps = false;
  out[5].options.threads = false;
  return out;
}

detach::DeviceNumber ParseDevice(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) throw std::invalid_argument("not MAJ:MIN: " + text);
  return detach::DeviceNumber{static_cast<unsigned>(std::stoul(text.substr(0, colon))),
                              static_cast<unsigned>(std::stoul(text.substr(colon + 1)))};
}

detach::DeviceNumber DeviceOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error("stat " + path + ": " + std::strerror(errno));
  return detach::DeviceNumber::from_dev(st.st_dev);
}

int PinsOn(const std::string& dump, const std::string& kind, const detach::DeviceNumber& dev) {
  int count = 0;
  std::istringstream lines(dump);
  const std::string prefix = "pin " + kind + " ";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    if (line.find(" dev=" + dev.str() + " ") != std::string::npos ||
        line.find(" rdev=" + dev.str() + " ") != std::string::npos)
      ++count;
  }
  return count;
}

std::vector<std::string> PinLines(const std::string& dump, const std::string& kind) {
  std::vector<std::string> out;
  std::istringstream lines(dump);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("pin " + kind + " ", 0) == 0) out.push_back(line);
  return out;
}

std::string PlacedExactly(const std::string& proc, const std::string& kind, detach::MountKey mount,
                          const detach::DeviceNumber& dev, std::uint64_t ino, bool relisted) {
  std::istringstream lines(proc);
  std::map<std::uint64_t, std::string> mounts;
  std::string rest;
  int placed = 0;
  auto replace = [](std::string& line, const std::string& from, const std::string& to) {
    const std::size_t at = line.find(from);
    if (at == std::string::npos) throw std::runtime_error("no '" + from + "' in " + line);
    line.replace(at, from.size(), to);
  };
  const std::string by_device = "mount " + std::to_string(detach::kernel_held_key(dev)) + " unique=0 ";
  const std::string id = std::to_string(mount);
  const std::string by_id = "mount " + id + " unique=" + id + " ";
  const std::string unplaced = " mount=0 dev=0:0 ino=0 ";
  const std::string by_former =
      " mount=" + std::to_string(detach::kernel_held_key(dev)) + " dev=" + dev.str() + " ino=0 ";
  for (std::string line; std::getline(lines, line);) {
    if (relisted && line.rfind(by_device, 0) == 0) {
      replace(line, by_device, by_id);
    } else if (line.rfind("pin " + kind + " ", 0) == 0 &&
               (line.find(unplaced) != std::string::npos || line.find(by_former) != std::string::npos)) {
      replace(line, line.find(unplaced) != std::string::npos ? unplaced : by_former,
              " mount=" + id + " dev=" + dev.str() + " ino=" + std::to_string(ino) + " ");
      if (line.find(" resolves_nowhere=1 ") != std::string::npos)
        replace(line, " resolves_nowhere=1 ", " resolves_nowhere=0 ");
      if (line.find(" by_former_target=1 ") != std::string::npos)
        replace(line, " by_former_target=1 ", " by_former_target=0 ");
      ++placed;
    }
    if (line.rfind("mount ", 0) == 0)
      mounts.emplace(std::stoull(line.substr(6)), line);
    else
      rest += line + "\n";
  }
  if (placed == 0) throw std::runtime_error("/proc left no " + kind + " pin unplaced:\n" + proc);
  std::string out;
  for (const auto& [key, line] : mounts) out += line + "\n";
  return out + rest;
}

std::string WithoutPins(const std::string& dump, const std::string& kind) {
  std::istringstream lines(dump);
  std::string out;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("pin " + kind + " ", 0) != 0) out += line + "\n";
  return out;
}

std::uint64_t InodeOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error("stat " + path + ": " + std::strerror(errno));
  return st.st_ino;
}

}  // namespace bpftest
