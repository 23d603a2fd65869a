// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/device_text.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/i18n.h"
#include "explain/gaps.h"
#include "explain/namespace_owner.h"
#include "explain/pinner.h"
#include "explain/printable.h"

namespace detach {
namespace {

// A busy root fs has thousands of pinners: the text names the first few (and stays one readable line) and
// counts the rest; JSON keeps them all.
constexpr std::size_t kMaxPinnersShown = 5;
constexpr std::size_t kMaxPinnersChars = 400;

// Pinners as the object of "pinned by", "open in": one named alone ("1234 (sleep) cwd"), more counted first
// ("2 processes: 1234 (sleep) cwd, 1240 (bash) fd 7 (write)"), past kMaxPinnersShown "... and 195 more
// (WHERE_ALL lists them all)". A sentence says one after a colon ("pinned by: 1234 (sleep) cwd").
struct PinnersText {
  bool one = true;
  std::string text;
};

PinnersText pins_text(const Snapshot& snapshot, const std::vector<const Pin*>& pins, const char* where_all) {
  std::vector<Pinner> pinners = group_pinners(pins);
  PinnerList list = list_pinners(snapshot, pinners, Words::person(), kMaxPinnersShown, kMaxPinnersChars);
  if (pinners.size() < 2) return {true, list.text};
  // "2 processes" when a process and a thread of another with its own cwd pin it: people count processes.
  std::set<pid_t> pids;
  bool all_tasks = true;
  for (const Pinner& p : pinners) {
    all_tasks = all_tasks && p.kind != PinnerKind::Kernel;
    pids.insert(p.pid);
  }
  if (!list.complete) list.text = trf("{0} ({1} lists them all)", list.text, where_all);
  return {false,
          all_tasks ? trnf("{0} process: {1}", "{0} processes: {1}", pids.size(), pids.size(), list.text)
                    : trnf("{0} pinner: {1}", "{0} pinners: {1}", pinners.size(), pinners.size(), list.text)};
}

// "/mnt/x, /srv in mount namespace mnt:[4026532187] of docker-ab.scope (...)": where the filesystem is
// mounted, what follows "mounted at".
std::string mount_points(const Snapshot& snapshot, const std::vector<const Reason*>& mounts) {
  std::string out;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    if (i) out += ", ";
    out += printable(mounts[i]->target);
    if (!mounts[i]->other_namespace) continue;
    const std::string ns = "mnt:[" + std::to_string(mounts[i]->ns_inode) + "]";
    out += " " + (mounts[i]->ns_unit.empty()
                      ? trf("in mount namespace {0}", ns)
                      : trf("in mount namespace {0} of {1}", ns, printable(mounts[i]->ns_unit)));
    // Its unit is said just before: the owner names the processes.
    if (std::string owner =
            namespace_owner_text(snapshot, mounts[i]->ns_tasks, mounts[i]->ns_kept_alive_by, {});
        !owner.empty())
      out += " (" + owner + ")";
  }
  return out;
}

// An article's sound: "an ext2", "a btrfs", "an xfs" (said "ex-ef-es").
bool vowel_sound(const std::string& fstype) {
  return !fstype.empty() && std::string("aeiouxAEIOUX").find(fstype[0]) != std::string::npos;
}

// "it may be held by 1234 (ur) io_uring fd 3 (registered file /x)": pins the scan could not place, that
// could hold it. Empty when there are none.
std::string suspects_sentence(const Snapshot& snapshot, const std::vector<std::size_t>& suspects) {
  if (suspects.empty()) return "";
  std::vector<Pinner> pinners = group_pinners(snapshot.pins_at(suspects));
  std::string list = describe_pinners(snapshot, pinners, Words::person(), kMaxPinnersShown, kMaxPinnersChars);
  return pinners.size() == 1 ? trf("it may be held by {0}", list)
                             : trf("it may be held by one of these: {0}", list);
}

// What became of the detached mount FIRST stands for: "was lazily unmounted from /mnt/x", "is mounted
// nowhere" (known only by its device, and the journal has no record of it).
std::string detached_state(const Reason& first, const Mount* m) {
  const bool kernel_held = m != nullptr && m->kernel_held();
  if (kernel_held && first.target.empty()) return tr("is mounted nowhere");
  const std::string from = printable(first.target);
  if (m != nullptr && m->recorded_as_unmounted)
    return from.empty() ? tr("was unmounted") : trf("was unmounted from {0}", from);
  return from.empty() ? tr("was lazily unmounted") : trf("was lazily unmounted from {0}", from);
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
  const std::string state = detached_state(first, m);
  if (!pins.empty()) {
    // Kernel objects hold it (an overlay's layers, a file-backed mount's image); processes pin it.
    const bool only_kernel =
        std::none_of(pins.begin(), pins.end(), [](const Pin* p) { return is_task_pin(p->kind); });
    const PinnersText by = pins_text(snapshot, pins, "findmnt --detached");
    // TRANSLATORS: {0} is what became of the mount ("was lazily unmounted from /mnt/x"), {1} names one
    // pinner.
    if (by.one)
      return {only_kernel ? trf("{0} and is still held by: {1}", state, by.text)
                          : trf("{0} and is still pinned by: {1}", state, by.text)};
    // TRANSLATORS: {0} is what became of the mount, {1} counts and names the pinners ("2 processes: ...").
    return {only_kernel ? trf("{0} and is still held by {1}", state, by.text)
                        : trf("{0} and is still pinned by {1}", state, by.text)};
  }
  std::string out;
  if (kernel_held)
    // Mounted nowhere, and nothing seen holds it: it may not have been a lazy unmount at all.
    out = first.target.empty() ? trf("{0}, yet still alive: nothing the scan sees holds it", state)
                               : trf("{0}, yet is still alive: nothing the scan sees holds it", state);
  else
    out = trf("{0} and is still alive", state);
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
  const std::string& fstype = detached.front()->fstype;
  // TRANSLATORS: {0} is what the filesystem does ("was lazily unmounted from /mnt/x and ...").
  if (fstype.empty()) lines.front() = trf("it holds a filesystem that {0}", lines.front());
  // TRANSLATORS: {0} is a filesystem type, {1} what the filesystem does. English takes "an" before a vowel
  // sound ("an ext4", "an xfs"), "a" otherwise: translate both alike.
  else if (vowel_sound(fstype))
    lines.front() = trf("it holds an {0} filesystem that {1}", printable(fstype), lines.front());
  else
    lines.front() = trf("it holds a {0} filesystem that {1}", printable(fstype), lines.front());
  return lines;
}

// "it is claimed, and of what the scan sees only an exclusive open (as mkfs makes one) can explain that:
// 1234 (x) fd 4 (read) has it open and may hold the claim"
std::string exclusive_opener_sentence(const Snapshot& snapshot, const Reason& r) {
  std::vector<Pinner> pinners = group_pinners(snapshot.pins_at(r.pins));
  std::string list = describe_pinners(snapshot, pinners, Words::person(), kMaxPinnersShown, kMaxPinnersChars);
  if (pinners.size() == 1)
    // TRANSLATORS: {0} names a process and its pins: "1234 (x) fd 4 (read)".
    return trf(
        "it is claimed, and of what the scan sees only an exclusive open (as mkfs makes one) can explain "
        "that: {0} has it open and may hold the claim",
        list);
  // TRANSLATORS: {0} counts the processes, {1} names them.
  return trnf(
      "it is claimed, and of what the scan sees only an exclusive open (as mkfs makes one) can explain that: "
      "{0} process has it open, one of which may hold the claim: {1}",
      "it is claimed, and of what the scan sees only an exclusive open (as mkfs makes one) can explain that: "
      "{0} processes have it open, one of which may hold the claim: {1}",
      pinners.size(), pinners.size(), list);
}

// "the external log device", "a device": what the device is to the filesystem that claims it.
std::string role_words(ClaimRole role) {
  switch (role) {
    case ClaimRole::Log:
      return tr("the external log device");
    case ClaimRole::Realtime:
      return tr("the realtime device");
    case ClaimRole::Journal:
      return tr("the external journal device");
    case ClaimRole::Member:
      break;
  }
  // TRANSLATORS: one of the devices of a btrfs filesystem.
  return tr("a device");
}

// "the external log device of the xfs filesystem on /dev/loop4", "a device of the btrfs filesystem on
// /dev/loop6": what the device is to the filesystem that claims it.
std::string claim_phrase(const Reason& r) {
  const std::string role = role_words(r.role);
  const std::string fstype = printable(r.fstype);
  // TRANSLATORS: {0} is the device's role ("the external log device"), {1} the filesystem type, {2} the
  // filesystem's device.
  if (!r.filesystem.empty())
    return fstype.empty() ? trf("{0} of the filesystem on {1}", role, printable(r.filesystem))
                          : trf("{0} of the {1} filesystem on {2}", role, fstype, printable(r.filesystem));
  // TRANSLATORS: {0} is the device's role, {1} the filesystem type, {2} the filesystem's UUID.
  if (!r.fs_uuid.empty())
    return fstype.empty() ? trf("{0} of the filesystem {1}", role, printable(r.fs_uuid))
                          : trf("{0} of the {1} filesystem {2}", role, fstype, printable(r.fs_uuid));
  if (fstype.empty()) return trf("{0} of a filesystem", role);
  return vowel_sound(r.fstype) ? trf("{0} of an {1} filesystem", role, fstype)
                               : trf("{0} of a {1} filesystem", role, fstype);
}

// "it is held by dm-1 (LUKS crypt-home)", "it is a member of md0 (raid1)".
std::string holder_sentence(const Reason& r) {
  if (r.holder_type == "md" || (!r.md_level.empty() && r.dm_name.empty()))
    // TRANSLATORS: {0} is an md array ("md0"), {1} its level ("raid1").
    return trf("it is a member of {0} ({1})", printable(r.holder), printable(r.md_level));
  static const std::pair<const char*, const char*> kWords[] = {
      {"luks", "LUKS"}, {"dm-crypt", "dm-crypt"}, {"lvm", "LVM"}, {"multipath", "multipath"}};
  std::string what = "device-mapper";
  for (const auto& [type, word] : kWords)
    if (r.holder_type == type) what = word;
  // TRANSLATORS: {0} is the holding device ("dm-1"), {1} its kind and name ("LUKS crypt-home").
  if (!r.dm_name.empty())
    return trf("it is held by {0} ({1})", printable(r.holder), what + " " + printable(r.dm_name));
  return trf("it is held by {0}", printable(r.holder));
}

std::vector<std::string> reason_lines(const Snapshot& snapshot, const std::vector<Reason>& reasons);

// "SENTENCE, which is busy: FIRST NESTED" (JOIN puts the two together), further nested reasons indented
// below it.
template <typename Join>
void add_with_nested(const Snapshot& snapshot, const std::vector<Reason>& nested, Join join,
                     std::vector<std::string>& out) {
  std::vector<std::string> inner = reason_lines(snapshot, nested);
  out.push_back(join(inner.empty() ? std::string() : inner.front()));
  for (std::size_t i = 1; i < inner.size(); ++i) out.push_back("  " + inner[i]);
}

// "pinned by: 1234 (sleep) cwd", "pinned by 2 processes: ..."
std::string pinned_by_line(const PinnersText& by) {
  return by.one ? trf("pinned by: {0}", by.text) : trf("pinned by {0}", by.text);
}

// "it is the external log device of the xfs filesystem on /dev/loop4, which is mounted at /mnt/x", with the
// filesystem's pinners and anything else that keeps it alive on further lines, indented.
void add_claimed(const Snapshot& snapshot, const Reason& r, std::vector<std::string>& out) {
  std::string sentence = trf("it is {0}", claim_phrase(r));
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
    // TRANSLATORS: {0} is "it is the external log device of ...", {1} where that filesystem is mounted.
    sentence = trf("{0}, which is mounted at {1}", sentence, mount_points(snapshot, mounted));
    if (!mounted_pins.empty())
      more.push_back(pinned_by_line(pins_text(snapshot, snapshot.pins_at(mounted_pins), "mkfs-guard -J")));
  }
  if (!detached.empty()) {
    std::vector<std::string> clause = detached_clause_hedged(snapshot, detached);
    if (mounted.empty())
      // TRANSLATORS: {0} is "it is the external log device of ...", {1} what that filesystem does ("was
      // lazily unmounted from /mnt/x and is still pinned by ...").
      sentence = trf("{0}, which {1}", sentence, clause.front());
    else
      // TRANSLATORS: {0} is what the filesystem also does ("was lazily unmounted from /mnt/x and ...").
      more.push_back(trf("it also {0}", clause.front()));
    more.insert(more.end(), clause.begin() + 1, clause.end());
  }
  for (const std::string& line : reason_lines(snapshot, rest)) more.push_back(line);
  out.push_back(sentence);
  for (const std::string& line : more) out.push_back("  " + line);
}

std::string unknown_sentence() {
  return tr("it is claimed, but no mount, swap area, loop device, holder or open file explains it");
}

void add_single(const Snapshot& snapshot, const Reason& r, std::vector<std::string>& out) {
  switch (r.kind) {
    case ReasonKind::SwapPartition:
      out.emplace_back(tr("it is an active swap area"));
      break;
    case ReasonKind::SwapFileOnFs:
      out.push_back(trf("its filesystem holds the active swap file {0}", printable(r.file)));
      break;
    case ReasonKind::LoopBackingFile:
      // TRANSLATORS: {0} is a loop device; below, {0} is a file and {1} the loop device it backs.
      out.push_back(r.backing_device ? trf("it is the backing device of {0}", r.loop)
                                     : trf("its filesystem holds {0}, the backing file of {1}",
                                           printable(r.file), r.loop));
      break;
    case ReasonKind::Holder:
      add_with_nested(
          snapshot, r.nested,
          [&](const std::string& first) {
            // TRANSLATORS: {0} is "it is held by dm-1 (...)", {1} why that device is busy.
            return r.nested.empty() ? holder_sentence(r)
                                    : trf("{0}, which is busy: {1}", holder_sentence(r), first);
          },
          out);
      break;
    case ReasonKind::PartitionBusy:
      add_with_nested(
          snapshot, r.nested,
          // TRANSLATORS: {0} is a partition, {1} why it is busy.
          [&](const std::string& first) {
            return trf("its partition {0} is busy: {1}", printable(r.partition), first);
          },
          out);
      break;
    case ReasonKind::FilesystemDevice:
      add_claimed(snapshot, r, out);
      break;
    case ReasonKind::OpenForWriting: {
      const PinnersText in = pins_text(snapshot, snapshot.pins_at(r.pins), "mkfs-guard -J");
      out.push_back(in.one ? trf("it is open for writing in: {0}", in.text)
                           : trf("it is open for writing in {0}", in.text));
      break;
    }
    case ReasonKind::OpenedBy: {
      const PinnersText in = pins_text(snapshot, snapshot.pins_at(r.pins), "mkfs-guard -J");
      out.push_back(in.one ? trf("it is open for reading in: {0}", in.text)
                           : trf("it is open for reading in {0}", in.text));
      break;
    }
    case ReasonKind::UnboundLoop:
      out.emplace_back(tr("it is a loop device with no backing file (losetup binds one)"));
      break;
    case ReasonKind::ZeroSize:
      out.push_back(
          r.file.empty()
              ? std::string(tr("its size is 0 (an unset zram device, a drive without a medium)"))
              : trf("its size is 0: it is a loop device over {0}, which is empty", printable(r.file)));
      break;
    case ReasonKind::ExclusiveOpener:
      out.push_back(exclusive_opener_sentence(snapshot, r));
      // TRANSLATORS: {0} is "it may be held by ...", an alternative to the line above.
      if (std::string may = suspects_sentence(snapshot, r.suspects); !may.empty())
        out.push_back(trf("or {0}", may));
      break;
    case ReasonKind::Unknown:
      out.push_back(unknown_sentence());
      if (std::string may = suspects_sentence(snapshot, r.suspects); !may.empty()) out.push_back(may);
      // TRANSLATORS: {0} is what the scan could not read ("unix sockets not listed: ...").
      if (!r.unseen.empty())
        for (const std::string& what : unseen_text(snapshot, Words::person()))
          out.push_back(trf("could not see: {0}", printable(what)));
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
      // TRANSLATORS: {0} lists mount points, each maybe with its namespace: "/mnt/x, /srv in mount namespace
      // ...".
      out.push_back(trf("it is mounted at {0}", mount_points(snapshot, mounted)));
      if (!mounted_pins.empty())
        out.push_back(pinned_by_line(pins_text(snapshot, snapshot.pins_at(mounted_pins), "mkfs-guard -J")));
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
      // TRANSLATORS: {0} is the device.
      first = trf("{0} is free: mkfs can use it", device);
      break;
    case DeviceStatus::Busy:
      if (lines.empty()) lines.push_back(unknown_sentence());
      // TRANSLATORS: {0} is the device, {1} the first reason ("it is mounted at /mnt/x").
      first = trf("{0} is busy: {1}", device, lines.front());
      lines.erase(lines.begin());
      break;
    case DeviceStatus::Unusable:
      // TRANSLATORS: {0} is the device, {1} why ("its size is 0 ...").
      first = trf("{0} cannot be formatted: {1}", device, lines.empty() ? std::string() : lines.front());
      if (!lines.empty()) lines.erase(lines.begin());
      break;
    case DeviceStatus::Unchecked:
      // TRANSLATORS: {0} is the device, {1} why it could not be opened (an error message).
      first =
          trf("{0} could not be checked: it could not be opened ({1}), and nothing this scan sees uses it",
              device, printable(report.claim_error));
      break;
  }
  if (report.claim == Claim::Unchecked && report.status != DeviceStatus::Unchecked)
    // TRANSLATORS: {0} is an error message.
    lines.push_back(trf("(the claim was not checked: open: {0})", printable(report.claim_error)));
  std::string out = first + "\n";
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

}  // namespace detach
