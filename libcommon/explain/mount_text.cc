// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/mount_text.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "base/i18n.h"
#include "explain/kernel_advice.h"
#include "explain/namespace_owner.h"
#include "explain/pinner.h"
#include "explain/printable.h"
#include "model/device_name.h"

namespace detach {
namespace {

// A busy root fs has thousands of pinners: a line names the first few and counts the rest.
constexpr std::size_t kMaxPinnersShown = 5;
constexpr std::size_t kMaxPinnersChars = 300;
constexpr std::size_t kMaxSubmountsShown = 5;

bool is_shell(const std::string& command) {
  static constexpr std::array<std::string_view, 14> kShells{"bash", "sh",      "dash", "zsh",  "fish",
                                                            "ksh",  "mksh",    "ash",  "tcsh", "csh",
                                                            "yash", "busybox", "nu",   "xonsh"};
  return std::find(kShells.begin(), kShells.end(), command) != kShells.end();
}

std::string command_of(const Snapshot& snapshot, pid_t pid) {
  const Task* task = snapshot.task(pid);
  return task ? task->command : std::string();
}

std::vector<const Pin*> pins_of(const Snapshot& snapshot, const MountReason& r) {
  return snapshot.pins_at(r.pins);
}

// "1234 (sleep) cwd" for one pinner, "2 processes: a, b" for more, "... and 195 more (WHERE_ALL lists them
// all)" past the limit: what follows "pinned by".
std::string pinners_text(const Snapshot& snapshot, const std::vector<const Pin*>& pins,
                         const std::string& where_all, const MountTextOptions& options) {
  const Words words = Words::person();
  std::vector<Pinner> pinners = group_pinners(pins);
  PinnerList list = options.verbose
                        ? list_pinners(snapshot, pinners, words)
                        : list_pinners(snapshot, pinners, words, kMaxPinnersShown, kMaxPinnersChars);
  if (pinners.size() < 2) return list.text;
  bool all_tasks = std::none_of(pinners.begin(), pinners.end(),
                                [](const Pinner& p) { return p.kind == PinnerKind::Kernel; });
  // TRANSLATORS: {0} is a list of pinners cut short, {1} a command that lists them all.
  if (!list.complete && !where_all.empty()) list.text = trf("{0} ({1} lists them all)", list.text, where_all);
  // TRANSLATORS: what follows "pinned by": {0} counts them, {1} lists them.
  return all_tasks ? trnf("{0} process: {1}", "{0} processes: {1}", pinners.size(), pinners.size(), list.text)
                   : trnf("{0} pinner: {1}", "{0} pinners: {1}", pinners.size(), pinners.size(), list.text);
}

// With -v: a line per process pinner with who runs it and where ("1234 (sleep): user root, unit
// ssh.service").
void add_pinner_details(const Snapshot& snapshot, const std::vector<const Pin*>& pins,
                        const MountTextOptions& options, std::vector<std::string>& out) {
  if (!options.verbose) return;
  for (const Pinner& p : group_pinners(pins)) {
    const Task* task = p.kind == PinnerKind::Kernel ? nullptr : snapshot.task(p.pid);
    if (task == nullptr) continue;
    const std::string name = pinner_name(snapshot, p, Words::person());
    out.push_back("  " + (task->unit.empty() ? trf("{0}: user {1}", name, printable(task->user))
                                             : trf("{0}: user {1}, unit {2}", name, printable(task->user),
                                                   printable(task->unit))));
  }
}

// "in mount namespace mnt:[4026532187] (processes in it: 999 (nginx))"
std::string in_namespace(const Snapshot& snapshot, const MountReason& r) {
  std::string out = trf("in mount namespace {0}", "mnt:[" + std::to_string(r.ns_inode) + "]");
  if (std::string owner = namespace_owner_text(snapshot, r.ns_tasks, r.ns_kept_alive_by, r.ns_units);
      !owner.empty())
    out += " (" + owner + ")";
  return out;
}

bool has_cwd(const std::vector<const Pin*>& pins) {
  return std::any_of(pins.begin(), pins.end(), [](const Pin* p) { return p->kind == PinKind::Cwd; });
}

// The pins of a caller's process other than its cwd, in words ("fd 3 (read)"); empty when it has none.
std::string other_than_cwd(const Pinner& pinner) {
  Pinner rest = pinner;
  std::erase_if(rest.pins, [](const Pin* p) { return p->kind == PinKind::Cwd; });
  return summarize_pins(rest, Words::person());
}

// What a caller of umount is called in its line: "your shell, pid 812 (bash),".
std::string caller_subject(const MountReason& r, bool is_the_shell, const std::string& who) {
  // TRANSLATORS: the subject of a sentence ("... is inside /mnt/x: cd out of it"); {0} is "pid 812 (bash)".
  if (is_the_shell) return trf("your shell, {0},", who);
  // TRANSLATORS: the subject of a sentence; {0} is "pid 812 (sudo)".
  if (r.generation == 1) return trf("the process that started umount, {0},", who);
  // TRANSLATORS: the subject of a sentence; {0} is "pid 812 (make)".
  return trf("{0}, which started umount,", who);
}

// "your shell, pid 812 (bash), is inside /mnt/x: cd out of it", and the like for umount itself and for what
// started it.
std::vector<std::string> caller_lines(const Snapshot& snapshot,
                                      const std::vector<const MountReason*>& callers) {
  std::vector<std::string> out;
  auto shell = std::find_if(callers.begin(), callers.end(), [&](const MountReason* r) {
    return r->generation > 0 && is_shell(command_of(snapshot, r->caller_pid));
  });
  for (const MountReason* r : callers) {
    std::vector<const Pin*> pins = pins_of(snapshot, *r);
    std::vector<Pinner> grouped = group_pinners(pins);
    if (grouped.empty()) continue;
    const std::string where = printable(r->target);
    const std::string rest = other_than_cwd(grouped.front());
    const bool inside = has_cwd(pins);
    // Between umount and the shell (sudo, a script) a cwd is inherited: the shell's is what to change.
    bool below_shell = shell != callers.end() && r->generation < (*shell)->generation;
    if (below_shell && rest.empty()) continue;
    if (r->generation == 0) {
      if (!rest.empty())
        // TRANSLATORS: {0} is how umount pins it ("fd 3 (read)"), {1} the mount point.
        out.push_back(trf("umount's own {0} is on {1}: send it elsewhere", rest, where));
      else if (shell == callers.end() && callers.size() == 1)
        out.push_back(trf("umount itself was started inside {0}: run it from another directory", where));
      continue;
    }
    const std::string who =
        "pid " + std::to_string(r->caller_pid) + " (" + printable(command_of(snapshot, r->caller_pid)) + ")";
    const std::string subject = caller_subject(*r, shell != callers.end() && r == *shell, who);
    if (!inside)
      // TRANSLATORS: {0} is the subject ("your shell, pid 812 (bash),"), {1} its pins, {2} the mount point.
      out.push_back(trf("{0} holds {1} on {2}", subject, rest, where));
    else if (rest.empty())
      out.push_back(trf("{0} is inside {1}: cd out of it", subject, where));
    else
      out.push_back(trf("{0} is inside {1} and holds {2}: cd out of it", subject, where, rest));
  }
  return out;
}

std::string submount_line(const Snapshot& snapshot, const MountReason& r, const MountTextOptions& options) {
  if (r.pins.empty()) return trf("{0} is mounted inside it", printable(r.target));
  return trf("{0} is mounted inside it and pinned by {1}", printable(r.target),
             pinners_text(snapshot, pins_of(snapshot, r), "", options));
}

void add_submount_lines(const Snapshot& snapshot, const std::vector<const MountReason*>& subs,
                        const MountTextOptions& options, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < subs.size(); ++i) {
    if (!options.verbose && i == kMaxSubmountsShown) {
      out.push_back(trnf("and {0} more mount inside it", "and {0} more mounts inside it", subs.size() - i,
                         subs.size() - i));
      break;
    }
    out.push_back(submount_line(snapshot, *subs[i], options));
  }
  if (!subs.empty())
    out.emplace_back(tr("unmount what is mounted inside it first, or all at once with umount -R"));
}

// "its filesystem is held by overlay /o (lowerdir, upperdir)": kernel objects on its filesystem. BUSY: for
// "target is busy", where an overlay's layer is no reason (the overlay holds a private copy of the mount, not
// this one); empty when nothing is left to say.
std::string kernel_objects_line(const Snapshot& snapshot, const MountReason& r, bool busy) {
  std::vector<const Pin*> pins = pins_of(snapshot, r);
  if (busy) std::erase_if(pins, [](const Pin* p) { return p->kind == PinKind::OverlayLayer; });
  if (pins.empty()) return "";
  return trf("its filesystem is held by {0}",
             describe_pins(snapshot, pins, Words::person(), kMaxPinnersShown, kMaxPinnersChars));
}

// What to do about the kernel objects among R's pins (a binfmt_misc entry, a uprobe event), a line each.
void add_advice(const Snapshot& snapshot, const MountReason& r, std::vector<std::string>& out) {
  std::vector<std::string> lines = kernel_object_advice(snapshot, pins_of(snapshot, r));
  out.insert(out.end(), lines.begin(), lines.end());
}

// "nothing the scan sees pins it; it may be held by 1234 (x) socket fd 5 (2 files in flight)"; BUSY: for
// "target is busy" (pins it), else after an umount (holds it).
std::string suspects_line(const Snapshot& snapshot, const MountReason& r, bool busy) {
  if (r.pins.empty())
    return busy ? tr("nothing the scan sees pins it") : tr("nothing the scan sees holds it");
  const std::string suspects =
      describe_pins(snapshot, pins_of(snapshot, r), Words::person(), kMaxPinnersShown, kMaxPinnersChars);
  return busy ? trf("nothing the scan sees pins it; it may be held by {0}", suspects)
              : trf("nothing the scan sees holds it; it may be held by {0}", suspects);
}

// A loop device or swap file on the filesystem, and what to do; BUSY: for "target is busy" (on its
// filesystem), else after an umount (on it).
std::string kernel_line(const MountReason& r, bool busy) {
  if (r.kind == MountReasonKind::LoopBackingFile)
    // TRANSLATORS: {0} is a loop device, {1} its backing file.
    return busy ? trf("{0} is backed by {1}, a file on its filesystem: detach it first (losetup -d {0})",
                      r.loop, printable(r.file))
                : trf("{0} is backed by {1}, a file on it: detach it first (losetup -d {0})", r.loop,
                      printable(r.file));
  return busy ? trf("the active swap file {0} is on its filesystem: swapoff it first", printable(r.file))
              : trf("the active swap file {0} is on it: swapoff it first", printable(r.file));
}

}  // namespace

std::vector<std::string> busy_text(const Snapshot& snapshot, const MountReport& report,
                                   const MountTextOptions& options) {
  std::vector<const MountReason*> callers, subs;
  for (const MountReason& r : report.reasons) {
    if (r.kind == MountReasonKind::CallerInside) callers.push_back(&r);
    if (r.kind == MountReasonKind::Submount) subs.push_back(&r);
  }
  std::vector<std::string> out = caller_lines(snapshot, callers);
  const std::string target = printable(report.target);
  for (const MountReason& r : report.reasons) {
    switch (r.kind) {
      case MountReasonKind::Pinned:
        // TRANSLATORS: {0} is the mount point, {1} what pins it ("2 processes: 12 (sleep) cwd, ...").
        out.push_back(trf("{0} is pinned by {1}", target,
                          pinners_text(snapshot, pins_of(snapshot, r), "fuser -vm " + target, options)));
        add_pinner_details(snapshot, pins_of(snapshot, r), options, out);
        add_advice(snapshot, r, out);
        break;
      case MountReasonKind::LoopBackingFile:
      case MountReasonKind::SwapFile:
        out.push_back(kernel_line(r, true));
        break;
      case MountReasonKind::OtherNamespace:
        // TRANSLATORS: {0} is "in mount namespace mnt:[...] (processes in it: ...)", {1} what pins it.
        out.push_back(trf("its copy {0} is pinned by {1} (umount propagates to shared copies)",
                          in_namespace(snapshot, r),
                          pinners_text(snapshot, pins_of(snapshot, r), "", options)));
        break;
      case MountReasonKind::KernelObject:
        if (std::string line = kernel_objects_line(snapshot, r, true); !line.empty()) {
          out.push_back(line);
          add_advice(snapshot, r, out);
        }
        break;
      case MountReasonKind::Suspects:
        out.push_back(suspects_line(snapshot, r, true));
        break;
      default:
        break;
    }
  }
  add_submount_lines(snapshot, subs, options, out);
  return out;
}

namespace {

// After the umount there is nothing left for umount to wait on: what waits for a detached filesystem's end
// now is mkfs-guard --wait on its device (a filesystem without one just ends with its last pinner). The
// device, empty when there is none.
std::string device_to_wait_for(const Snapshot& snapshot, const MountReport& report, const MountReason* own) {
  std::string device;
  if (const Mount* m = own != nullptr ? snapshot.mount(own->mount) : nullptr;
      m != nullptr && m->source.rfind("/dev/", 0) == 0)
    device = m->source;
  for (const BlockDevice& b : snapshot.block_devices)
    if (device.empty() && b.dev == report.dev) device = device_node_path(b.name);
  return printable(device);
}

// The first line: what became of the umount and, when its mount is pinned, by what.
std::string survival_first_line(Survival when, const std::string& pinners, const std::string& waited) {
  const bool pinned = !pinners.empty();
  switch (when) {
    case Survival::AfterLazyUmount:
      return pinned ? trf("lazily unmounted, but its filesystem lives on, pinned by {0}", pinners)
                    : tr("lazily unmounted, but its filesystem lives on");
    case Survival::AfterPlainUmount:
      return pinned ? trf("unmounted, but its filesystem lives on, pinned by {0}", pinners)
                    : tr("unmounted, but its filesystem lives on");
    case Survival::WaitTimedOut:
      break;
  }
  // TRANSLATORS: {0} is how long umount --wait waited ("5 seconds"), {1} what pins the filesystem.
  if (!waited.empty())
    return pinned ? trf("gave up waiting after {0}: its filesystem lives on, pinned by {1}", waited, pinners)
                  : trf("gave up waiting after {0}: its filesystem lives on", waited);
  return pinned ? trf("gave up waiting: its filesystem lives on, pinned by {0}", pinners)
                : tr("gave up waiting: its filesystem lives on");
}

// The last line: what to do, or what umount does now.
std::string survival_last_line(const Snapshot& snapshot, const MountReport& report, Survival when,
                               const MountReason* own, const MountTextOptions& options) {
  if (when == Survival::WaitTimedOut)
    return own != nullptr ? tr("findmnt --detached shows it")
                          : tr("losetup -d, mkfs and the like would race with it");
  if (options.waiting)
    return own != nullptr ? tr("waiting for its end (findmnt --detached shows it)")
                          : tr("waiting for its end");
  if (own != nullptr || when == Survival::AfterLazyUmount) {
    const std::string device = device_to_wait_for(snapshot, report, own);
    // TRANSLATORS: {0} is the device the filesystem is on.
    return device.empty()
               ? tr("findmnt --detached shows it")
               : trf("findmnt --detached shows it; mkfs-guard --wait {0} waits for its end", device);
  }
  return tr("losetup -d, mkfs and the like would race with it; umount --wait waits for such an end");
}

}  // namespace

std::vector<std::string> survival_text(const Snapshot& snapshot, const MountReport& report, Survival when,
                                       const MountTextOptions& options) {
  const MountReason* own = nullptr;
  std::vector<std::string> elsewhere;
  for (const MountReason& r : report.reasons) {
    switch (r.kind) {
      case MountReasonKind::Pinned:
        own = &r;
        break;
      case MountReasonKind::OtherMountHere:
        // Still mounted where the user sees it: the filesystem lives on as expected.
        if (own == nullptr) return {};
        break;
      case MountReasonKind::OtherNamespace:
        // TRANSLATORS: {0} is a mount point, {1} "in mount namespace mnt:[...] (processes in it: ...)".
        elsewhere.push_back(
            trf("it is still mounted at {0} {1}", printable(r.target), in_namespace(snapshot, r)));
        break;
      case MountReasonKind::Detached: {
        const std::string pinners = pinners_text(snapshot, pins_of(snapshot, r), "", options);
        // The mount only the kernel holds is the filesystem itself, no other mount of it.
        if (const Mount* m = snapshot.mount(r.mount); m != nullptr && m->kernel_held())
          elsewhere.push_back(trf("its filesystem is pinned by {0}", pinners));
        else if (r.target.empty())
          elsewhere.push_back(trf("another lazily unmounted mount of it is pinned by {0}", pinners));
        else
          // TRANSLATORS: {0} is the mount point it was unmounted from, {1} what pins it.
          elsewhere.push_back(trf("another lazily unmounted mount of it (from {0}) is pinned by {1}",
                                  printable(r.target), pinners));
        add_advice(snapshot, r, elsewhere);
        break;
      }
      case MountReasonKind::LoopBackingFile:
      case MountReasonKind::SwapFile:
        elsewhere.push_back(kernel_line(r, false));
        break;
      case MountReasonKind::KernelObject:
        elsewhere.push_back(kernel_objects_line(snapshot, r, false));
        add_advice(snapshot, r, elsewhere);
        break;
      case MountReasonKind::Suspects:
        elsewhere.push_back(suspects_line(snapshot, r, false));
        break;
      default:
        break;
    }
  }
  if (own == nullptr && elsewhere.empty()) return {};
  std::vector<std::string> out;
  const std::string pinners =
      own != nullptr ? pinners_text(snapshot, pins_of(snapshot, *own), "findmnt --detached", options) : "";
  out.push_back(survival_first_line(when, pinners, options.waited));
  if (own != nullptr) {
    add_pinner_details(snapshot, pins_of(snapshot, *own), options, out);
    add_advice(snapshot, *own, out);
  }
  out.insert(out.end(), elsewhere.begin(), elsewhere.end());
  out.push_back(survival_last_line(snapshot, report, when, own, options));
  return out;
}

}  // namespace detach
