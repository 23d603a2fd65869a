// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/device_text.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "explain/gaps.h"
#include "explain/pinner.h"
#include "explain/printable.h"

namespace detach {
namespace {

// A busy root fs has thousands of pinners: the text names the first few (and stays one readable line) and
// counts the rest; JSON keeps them all.
constexpr std::size_t kMaxPinnersShown = 5;
constexpr std::size_t kMaxPinnersChars = 400;

// ": 1234 (sleep) cwd" for one pinner; " 2 processes: 1234 (sleep) cwd, 1240 (bash) fd 7 (write)" for more,
// and past kMaxPinnersShown "... and 195 more (WHERE_ALL lists them all)". Follows "pinned by", "open in".
std::string pins_text(const Snapshot& snapshot, const std::vector<const Pin*>& pins, const char* where_all) {
  std::vector<Pinner> pinners = group_pinners(pins);
  std::string out = describe_pinners(snapshot, pinners, kMaxPinnersShown, kMaxPinnersChars);
  if (pinners.size() < 2) return ": " + out;
  // "2 processes" when a process and a thread of another with its own cwd pin it: people count processes.
  std::set<pid_t> pids;
  bool all_tasks = true;
  for (const Pinner& p : pinners) {
    all_tasks = all_tasks && p.kind != PinnerKind::Kernel;
    pids.insert(p.pid);
  }
  std::string count =
      all_tasks ? " " + std::to_string(pids.size()) + (pids.size() == 1 ? " process: " : " processes: ")
                : " " + std::to_string(pinners.size()) + " pinners: ";
  if (out.ends_with(" more")) out += std::string(" (") + where_all + " lists them all)";
  return count + out;
}

// " (processes in it: 1234 (sleep))" or " (no process in it; kept alive by nsfs mount /run/x)".
std::string namespace_users(const Snapshot& snapshot, const Reason& r) {
  constexpr std::size_t kMaxTasksShown = 3;
  if (r.ns_tasks.empty() && r.ns_kept_alive_by.empty()) return "";
  if (r.ns_tasks.empty()) {
    std::string out = " (no process in it; kept alive by ";
    for (std::size_t i = 0; i < r.ns_kept_alive_by.size(); ++i)
      out += (i ? ", " : "") + printable(r.ns_kept_alive_by[i]);
    return out + ")";
  }
  std::string out = " (processes in it: ";
  for (std::size_t i = 0; i < r.ns_tasks.size() && i < kMaxTasksShown; ++i) {
    out += (i ? ", " : "") + std::to_string(r.ns_tasks[i]);
    if (const Task* task = snapshot.task(r.ns_tasks[i])) out += " (" + printable(task->command) + ")";
  }
  if (r.ns_tasks.size() > kMaxTasksShown)
    out += " and " + std::to_string(r.ns_tasks.size() - kMaxTasksShown) + " more";
  return out + ")";
}

// "mounted at /mnt/x, /srv in mount namespace mnt:[4026532187] of docker-ab.scope (...)": what follows "it
// is" (or "which is").
std::string mounted_clause(const Snapshot& snapshot, const std::vector<const Reason*>& mounts) {
  std::string out = "mounted at ";
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    if (i) out += ", ";
    out += printable(mounts[i]->target);
    if (!mounts[i]->other_namespace) continue;
    out += " in mount namespace mnt:[" + std::to_string(mounts[i]->ns_inode) + "]";
    if (!mounts[i]->ns_unit.empty()) out += " of " + printable(mounts[i]->ns_unit);
    out += namespace_users(snapshot, *mounts[i]);
  }
  return out;
}

// "an ext2", "a btrfs", "an xfs" (said "ex-ef-es"); "a" alone when the type is unknown.
std::string with_article(const std::string& fstype) {
  if (fstype.empty()) return "a";
  bool vowel_sound = std::string("aeiouxAEIOUX").find(fstype[0]) != std::string::npos;
  return (vowel_sound ? "an " : "a ") + printable(fstype);
}

// "it may be held by 1234 (ur) io_uring fd 3 (registered file /x)": pins the scan could not place, that
// could hold it. Empty when there are none.
std::string suspects_sentence(const Snapshot& snapshot, const std::vector<std::size_t>& suspects) {
  if (suspects.empty()) return "";
  std::vector<Pinner> pinners = group_pinners(snapshot.pins_at(suspects));
  std::string list = describe_pinners(snapshot, pinners, kMaxPinnersShown, kMaxPinnersChars);
  return std::string(pinners.size() == 1 ? "it may be held by " : "it may be held by one of these: ") + list;
}

// What follows "a filesystem that" (or "which"): "was lazily unmounted from /mnt/x and is still pinned by:
// 1234 (sleep) cwd"; when nothing seen holds it, what may, on lines of their own after it.
std::vector<std::string> detached_clause(const Snapshot& snapshot,
                                         const std::vector<const Reason*>& detached) {
  std::vector<const Pin*> pins;
  for (const Reason* r : detached)
    for (const Pin* pin : snapshot.pins_at(r->pins)) pins.push_back(pin);
  const Reason& first = *detached.front();
  const Mount* m = snapshot.mount(first.mount);
  // Known only by its device: where its last mount was, when the journal says (a lazy detach, or a plain
  // umount the kernel outlived), else nothing.
  const bool kernel_held = m != nullptr && m->kernel_held();
  std::string out;
  if (kernel_held && first.target.empty())
    out = "is mounted nowhere";
  else
    out = std::string(m != nullptr && m->recorded_as_unmounted ? "was unmounted" : "was lazily unmounted") +
          (first.target.empty() ? "" : " from " + printable(first.target));
  if (!pins.empty()) {
    // Kernel objects hold it (an overlay's layers, a file-backed mount's image); processes pin it.
    const bool only_kernel =
        std::none_of(pins.begin(), pins.end(), [](const Pin* p) { return is_task_pin(p->kind); });
    return {out + (only_kernel ? " and is still held by" : " and is still pinned by") +
            pins_text(snapshot, pins, "findmnt --detached")};
  }
  if (kernel_held)
    // Mounted nowhere, and nothing seen holds it: it may not have been a lazy unmount at all.
    out += std::string(first.target.empty() ? ", yet still alive" : ", yet is still alive") +
           ": nothing the scan sees holds it";
  else
    out += " and is still alive";
  std::vector<std::string> lines{out};
  if (std::string may = suspects_sentence(snapshot, first.suspects); !may.empty()) lines.push_back(may);
  return lines;
}

// detached_clause, and when the walk over the namespaces could not prove the detach, what else it may be.
std::vector<std::string> detached_clause_hedged(const Snapshot& snapshot,
                                                const std::vector<const Reason*>& detached) {
  std::vector<std::string> lines = detached_clause(snapshot, detached);
  const Mount* m = snapshot.mount(detached.front()->mount);
  if (m != nullptr && m->unverified) lines.push_back(unverified_mount_text(snapshot));
  return lines;
}

std::vector<std::string> detached_lines(const Snapshot& snapshot,
                                        const std::vector<const Reason*>& detached) {
  std::vector<std::string> lines = detached_clause_hedged(snapshot, detached);
  lines.front() = "it holds " + with_article(detached.front()->fstype) + " filesystem that " + lines.front();
  return lines;
}

// "it is claimed, and of what the scan sees only an exclusive open (as mkfs makes one) can explain that:
// 1234 (x) fd 4 (read) has it open and may hold the claim"
std::string exclusive_opener_sentence(const Snapshot& snapshot, const Reason& r) {
  std::vector<Pinner> pinners = group_pinners(snapshot.pins_at(r.pins));
  std::string list = describe_pinners(snapshot, pinners, kMaxPinnersShown, kMaxPinnersChars);
  std::string out =
      "it is claimed, and of what the scan sees only an exclusive open (as mkfs makes one) can explain "
      "that: ";
  if (pinners.size() == 1) return out + list + " has it open and may hold the claim";
  return out + std::to_string(pinners.size()) +
         " processes have it open, one of which may hold the claim: " + list;
}

// "the external log device of the xfs filesystem on /dev/loop4", "a device of the btrfs filesystem on
// /dev/loop6": what the device is to the filesystem that claims it.
std::string claim_phrase(const Reason& r) {
  const std::string role =
      std::string(r.role == ClaimRole::Member ? "a " : "the ") + claim_role_words(r.role);
  const std::string fs = r.fstype.empty() ? "filesystem" : printable(r.fstype) + " filesystem";
  if (!r.filesystem.empty()) return role + " of the " + fs + " on " + printable(r.filesystem);
  if (!r.fs_uuid.empty()) return role + " of the " + fs + " " + printable(r.fs_uuid);
  return role + " of " + with_article(r.fstype) + " filesystem";
}

// "it is held by dm-1 (LUKS crypt-home)", "it is a member of md0 (raid1)".
std::string holder_sentence(const Reason& r) {
  if (r.holder_type == "md" || (!r.md_level.empty() && r.dm_name.empty()))
    return "it is a member of " + printable(r.holder) + " (" + printable(r.md_level) + ")";
  static const std::pair<const char*, const char*> kWords[] = {
      {"luks", "LUKS"}, {"dm-crypt", "dm-crypt"}, {"lvm", "LVM"}, {"multipath", "multipath"}};
  std::string what = "device-mapper";
  for (const auto& [type, word] : kWords)
    if (r.holder_type == type) what = word;
  if (!r.dm_name.empty())
    return "it is held by " + printable(r.holder) + " (" + what + " " + printable(r.dm_name) + ")";
  return "it is held by " + printable(r.holder);
}

std::vector<std::string> reason_lines(const Snapshot& snapshot, const std::vector<Reason>& reasons);

// "SENTENCE, which is busy: FIRST NESTED", further nested reasons indented below it.
void add_with_nested(const Snapshot& snapshot, std::string sentence, const std::vector<Reason>& nested,
                     std::vector<std::string>& out) {
  std::vector<std::string> inner = reason_lines(snapshot, nested);
  if (!inner.empty()) sentence += inner.front();
  out.push_back(sentence);
  for (std::size_t i = 1; i < inner.size(); ++i) out.push_back("  " + inner[i]);
}

// "it is the external log device of the xfs filesystem on /dev/loop4, which is mounted at /mnt/x", with the
// filesystem's pinners and anything else that keeps it alive on further lines, indented.
void add_claimed(const Snapshot& snapshot, const Reason& r, std::vector<std::string>& out) {
  std::string sentence = "it is " + claim_phrase(r);
  std::vector<const Reason*> mounted, detached;
  std::vector<std::size_t> mounted_pins;
  std::vector<Reason> rest;
  for (const Reason& n : r.nested) {
    if (n.kind == ReasonKind::Mounted) {
      mounted.push_back(&n);
      mounted_pins.insert(mounted_pins.end(), n.pins.begin(), n.pins.end());
    } else if (n.kind == ReasonKind::DetachedPinned) {
      detached.push_back(&n);
    } else {
      rest.push_back(n);
    }
  }
  std::vector<std::string> more;
  if (!mounted.empty()) {
    sentence += ", which is " + mounted_clause(snapshot, mounted);
    if (!mounted_pins.empty())
      more.push_back("pinned by" + pins_text(snapshot, snapshot.pins_at(mounted_pins), "mkfs-guard -J"));
  }
  if (!detached.empty()) {
    std::vector<std::string> clause = detached_clause_hedged(snapshot, detached);
    if (mounted.empty())
      sentence += ", which " + clause.front();
    else
      more.push_back("it was also " + clause.front());
    more.insert(more.end(), clause.begin() + 1, clause.end());
  }
  for (const std::string& line : reason_lines(snapshot, rest)) more.push_back(line);
  out.push_back(sentence);
  for (const std::string& line : more) out.push_back("  " + line);
}

std::string unknown_sentence() {
  return "it is claimed, but no mount, swap area, loop device, holder or open file explains it";
}

void add_single(const Snapshot& snapshot, const Reason& r, std::vector<std::string>& out) {
  switch (r.kind) {
    case ReasonKind::SwapPartition:
      out.push_back("it is an active swap area");
      break;
    case ReasonKind::SwapFileOnFs:
      out.push_back("its filesystem holds the active swap file " + printable(r.file));
      break;
    case ReasonKind::LoopBackingFile:
      out.push_back(r.backing_device
                        ? "it is the backing device of " + r.loop
                        : "its filesystem holds " + printable(r.file) + ", the backing file of " + r.loop);
      break;
    case ReasonKind::Holder:
      add_with_nested(snapshot, holder_sentence(r) + (r.nested.empty() ? "" : ", which is busy: "), r.nested,
                      out);
      break;
    case ReasonKind::PartitionBusy:
      add_with_nested(snapshot, "its partition " + printable(r.partition) + " is busy: ", r.nested, out);
      break;
    case ReasonKind::FilesystemDevice:
      add_claimed(snapshot, r, out);
      break;
    case ReasonKind::OpenForWriting:
      out.push_back("it is open for writing in" +
                    pins_text(snapshot, snapshot.pins_at(r.pins), "mkfs-guard -J"));
      break;
    case ReasonKind::OpenedBy:
      out.push_back("it is open for reading in" +
                    pins_text(snapshot, snapshot.pins_at(r.pins), "mkfs-guard -J"));
      break;
    case ReasonKind::UnboundLoop:
      out.push_back("it is a loop device with no backing file (losetup binds one)");
      break;
    case ReasonKind::ZeroSize:
      out.push_back(r.file.empty() ? "its size is 0 (an unset zram device, a drive without a medium)"
                                   : "its size is 0: it is a loop device over " + printable(r.file) +
                                         ", which is empty");
      break;
    case ReasonKind::ExclusiveOpener:
      out.push_back(exclusive_opener_sentence(snapshot, r));
      if (std::string may = suspects_sentence(snapshot, r.suspects); !may.empty()) out.push_back("or " + may);
      break;
    case ReasonKind::Unknown:
      out.push_back(unknown_sentence());
      if (std::string may = suspects_sentence(snapshot, r.suspects); !may.empty()) out.push_back(may);
      for (const std::string& what : r.unseen) out.push_back("could not see: " + printable(what));
      break;
    default:
      break;
  }
}

// Mounts of one kind read best as one sentence; everything else gets a line of its own.
std::vector<std::string> reason_lines(const Snapshot& snapshot, const std::vector<Reason>& reasons) {
  std::vector<const Reason*> mounted, detached;
  std::vector<std::size_t> mounted_pins;
  for (const Reason& r : reasons) {
    if (r.kind == ReasonKind::Mounted) mounted.push_back(&r);
    if (r.kind == ReasonKind::Mounted) mounted_pins.insert(mounted_pins.end(), r.pins.begin(), r.pins.end());
    if (r.kind == ReasonKind::DetachedPinned) detached.push_back(&r);
  }
  std::vector<std::string> out;
  for (const Reason& r : reasons) {
    if (!mounted.empty() && &r == mounted.front()) {
      out.push_back("it is " + mounted_clause(snapshot, mounted));
      if (!mounted_pins.empty())
        out.push_back("pinned by" + pins_text(snapshot, snapshot.pins_at(mounted_pins), "mkfs-guard -J"));
    } else if (!detached.empty() && &r == detached.front()) {
      for (std::string& line : detached_lines(snapshot, detached)) out.push_back(std::move(line));
    } else if (r.kind != ReasonKind::Mounted && r.kind != ReasonKind::DetachedPinned) {
      add_single(snapshot, r, out);
    }
  }
  return out;
}

}  // namespace

std::string render_text(const Snapshot& snapshot, const DeviceReport& report) {
  std::string device = printable(report.device);
  std::vector<std::string> lines = reason_lines(snapshot, report.reasons);
  std::string first;
  switch (report.status) {
    case DeviceStatus::Free:
      // Readers (and, with --force, writers) do not stop mkfs, but they may not expect the device rewritten.
      lines.insert(lines.begin(), "mkfs can use it");
      first = device + " is free: ";
      break;
    case DeviceStatus::Busy:
      if (lines.empty()) lines.push_back(unknown_sentence());
      first = device + " is busy: ";
      break;
    case DeviceStatus::Unusable:
      first = device + " cannot be formatted: ";
      break;
    case DeviceStatus::Unchecked:
      lines.insert(lines.begin(), "it could not be opened (" + printable(report.claim_error) +
                                      "), and nothing this scan sees uses it");
      first = device + " could not be checked: ";
      break;
  }
  if (report.claim == Claim::Unchecked && report.status != DeviceStatus::Unchecked)
    lines.push_back("(the claim was not checked: open: " + printable(report.claim_error) + ")");
  std::string out = first + lines.front() + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace detach
