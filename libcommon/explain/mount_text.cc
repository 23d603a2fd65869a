// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/mount_text.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "explain/kernel_advice.h"
#include "explain/pinner.h"
#include "explain/printable.h"
#include "model/device_name.h"

namespace detach {
namespace {

// A busy root fs has thousands of pinners: a line names the first few and counts the rest.
constexpr std::size_t kMaxPinnersShown = 5;
constexpr std::size_t kMaxPinnersChars = 300;
constexpr std::size_t kMaxSubmountsShown = 5;
constexpr std::size_t kMaxTasksShown = 3;

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

// ": 1234 (sleep) cwd" for one pinner, " 2 processes: a, b" for more, "... and 195 more (WHERE_ALL lists them
// all)" past the limit: what follows "pinned by".
std::string pinners_text(const Snapshot& snapshot, const std::vector<const Pin*>& pins,
                         const std::string& where_all, const MountTextOptions& options) {
  std::vector<Pinner> pinners = group_pinners(pins);
  std::string list = options.verbose
                         ? describe_pinners(snapshot, pinners)
                         : describe_pinners(snapshot, pinners, kMaxPinnersShown, kMaxPinnersChars);
  if (pinners.size() < 2) return " " + list;
  bool all_tasks = std::none_of(pinners.begin(), pinners.end(),
                                [](const Pinner& p) { return p.kind == PinnerKind::Kernel; });
  if (list.ends_with(" more") && !where_all.empty()) list += " (" + where_all + " lists them all)";
  return " " + std::to_string(pinners.size()) + (all_tasks ? " processes: " : " pinners: ") + list;
}

// With -v: a line per process pinner with who runs it and where ("1234 (sleep): user root, unit
// ssh.service").
void add_pinner_details(const Snapshot& snapshot, const std::vector<const Pin*>& pins,
                        const MountTextOptions& options, std::vector<std::string>& out) {
  if (!options.verbose) return;
  for (const Pinner& p : group_pinners(pins)) {
    const Task* task = p.kind == PinnerKind::Kernel ? nullptr : snapshot.task(p.pid);
    if (task == nullptr) continue;
    std::string line = "  " + pinner_name(snapshot, p) + ": user " + printable(task->user);
    if (!task->unit.empty()) line += ", unit " + printable(task->unit);
    out.push_back(line);
  }
}

// " (processes in it: 999 (nginx); unit docker-ab12.scope)", " (no process in it; kept alive by nsfs mount
// /run/netns/x)": who owns a namespace, which is what a user acts on.
std::string namespace_owner(const Snapshot& snapshot, const MountReason& r) {
  if (r.ns_tasks.empty() && r.ns_kept_alive_by.empty()) return "";
  std::string out = " (";
  if (r.ns_tasks.empty()) {
    out += "no process in it; kept alive by ";
    for (std::size_t i = 0; i < r.ns_kept_alive_by.size(); ++i)
      out += (i ? ", " : "") + printable(r.ns_kept_alive_by[i]);
    return out + ")";
  }
  out += r.ns_tasks.size() == 1 ? "process in it: " : "processes in it: ";
  for (std::size_t i = 0; i < r.ns_tasks.size() && i < kMaxTasksShown; ++i) {
    out += (i ? ", " : "") + std::to_string(r.ns_tasks[i]);
    if (std::string command = command_of(snapshot, r.ns_tasks[i]); !command.empty())
      out += " (" + printable(command) + ")";
  }
  if (r.ns_tasks.size() > kMaxTasksShown)
    out += " and " + std::to_string(r.ns_tasks.size() - kMaxTasksShown) + " more";
  if (!r.ns_units.empty()) {
    out += r.ns_units.size() == 1 ? "; unit " : "; units ";
    for (std::size_t i = 0; i < r.ns_units.size(); ++i) out += (i ? ", " : "") + printable(r.ns_units[i]);
  }
  return out + ")";
}

std::string in_namespace(const Snapshot& snapshot, const MountReason& r) {
  return " in mount namespace mnt:[" + std::to_string(r.ns_inode) + "]" + namespace_owner(snapshot, r);
}

bool has_cwd(const std::vector<const Pin*>& pins) {
  return std::any_of(pins.begin(), pins.end(), [](const Pin* p) { return p->kind == PinKind::Cwd; });
}

// The pins of a caller's process other than its cwd, in words ("fd 3 (read)"); empty when it has none.
std::string other_than_cwd(const Pinner& pinner) {
  Pinner rest = pinner;
  std::erase_if(rest.pins, [](const Pin* p) { return p->kind == PinKind::Cwd; });
  return summarize_pins(rest);
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
    std::string who = "pid " + std::to_string(r->caller_pid);
    who += " (" + printable(command_of(snapshot, r->caller_pid));
    who += ")";
    if (r->generation == 0) {
      if (!rest.empty()) {
        std::string line = "umount's own " + rest;
        line += " is on " + where;
        line += ": send it elsewhere";
        out.push_back(std::move(line));
      } else if (shell == callers.end() && callers.size() == 1) {
        out.push_back("umount itself was started inside " + where + ": run it from another directory");
      }
      continue;
    }
    std::string subject = shell != callers.end() && r == *shell ? "your shell, " + who + ","
                          : r->generation == 1 ? "the process that started umount, " + who + ","
                                               : who + ", which started umount,";
    std::string line = subject;
    if (inside) {
      line += " is inside ";
    } else {
      line += " holds ";
      line += rest;
      line += " on ";
    }
    line += where;
    if (inside && !rest.empty()) line += " and holds " + rest;
    if (inside) line += ": cd out of it";
    out.push_back(line);
  }
  return out;
}

std::string submount_line(const Snapshot& snapshot, const MountReason& r, const MountTextOptions& options) {
  std::string line = printable(r.target) + " is mounted inside it";
  if (!r.pins.empty()) line += " and pinned by" + pinners_text(snapshot, pins_of(snapshot, r), "", options);
  return line;
}

void add_submount_lines(const Snapshot& snapshot, const std::vector<const MountReason*>& subs,
                        const MountTextOptions& options, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < subs.size(); ++i) {
    if (!options.verbose && i == kMaxSubmountsShown) {
      out.push_back("and " + std::to_string(subs.size() - i) + " more mounts inside it");
      break;
    }
    out.push_back(submount_line(snapshot, *subs[i], options));
  }
  if (!subs.empty()) out.push_back("unmount what is mounted inside it first, or all at once with umount -R");
}

// "it is held by overlay /o (lowerdir, upperdir)": kernel objects on its filesystem. BUSY: for "target is
// busy", where an overlay's layer is no reason (the overlay holds a private copy of the mount, not this
// one); empty when nothing is left to say.
std::string kernel_objects_line(const Snapshot& snapshot, const MountReason& r, bool busy) {
  std::vector<const Pin*> pins = pins_of(snapshot, r);
  if (busy) std::erase_if(pins, [](const Pin* p) { return p->kind == PinKind::OverlayLayer; });
  if (pins.empty()) return "";
  return "its filesystem is held by " + describe_pins(snapshot, pins, kMaxPinnersShown, kMaxPinnersChars);
}

// What to do about the kernel objects among R's pins (a binfmt_misc entry, a uprobe event), a line each.
void add_advice(const Snapshot& snapshot, const MountReason& r, std::vector<std::string>& out) {
  std::vector<std::string> lines = kernel_object_advice(snapshot, pins_of(snapshot, r));
  out.insert(out.end(), lines.begin(), lines.end());
}

// "nothing the scan sees holds it; it may be held by 1234 (x) socket fd 5 (2 files in flight)"
std::string suspects_line(const Snapshot& snapshot, const MountReason& r, const char* verb) {
  std::string out = std::string("nothing the scan sees ") + verb + " it";
  if (r.pins.empty()) return out;
  return out + "; it may be held by " +
         describe_pins(snapshot, pins_of(snapshot, r), kMaxPinnersShown, kMaxPinnersChars);
}

std::string kernel_line(const MountReason& r, const char* on) {
  if (r.kind == MountReasonKind::LoopBackingFile)
    return r.loop + " is backed by " + printable(r.file) + ", a file " + on +
           ": detach it first (losetup -d " + r.loop + ")";
  return "the active swap file " + printable(r.file) + " is " + on + ": swapoff it first";
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
        out.push_back(target + " is pinned by" +
                      pinners_text(snapshot, pins_of(snapshot, r), "fuser -vm " + target, options));
        add_pinner_details(snapshot, pins_of(snapshot, r), options, out);
        add_advice(snapshot, r, out);
        break;
      case MountReasonKind::LoopBackingFile:
      case MountReasonKind::SwapFile:
        out.push_back(kernel_line(r, "on its filesystem"));
        break;
      case MountReasonKind::OtherNamespace:
        out.push_back("its copy" + in_namespace(snapshot, r) + " is pinned by" +
                      pinners_text(snapshot, pins_of(snapshot, r), "", options) +
                      " (umount propagates to shared copies)");
        break;
      case MountReasonKind::KernelObject:
        if (std::string line = kernel_objects_line(snapshot, r, true); !line.empty()) {
          out.push_back(line);
          add_advice(snapshot, r, out);
        }
        break;
      case MountReasonKind::Suspects:
        out.push_back(suspects_line(snapshot, r, "pins"));
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
// now is mkfs-guard --wait on its device (a filesystem without one just ends with its last pinner).
std::string wait_hint(const Snapshot& snapshot, const MountReport& report, const MountReason* own) {
  std::string device;
  if (const Mount* m = own != nullptr ? snapshot.mount(own->mount) : nullptr;
      m != nullptr && m->source.rfind("/dev/", 0) == 0)
    device = m->source;
  for (const BlockDevice& b : snapshot.block_devices)
    if (device.empty() && b.dev == report.dev) device = device_node_path(b.name);
  return device.empty() ? std::string() : "; mkfs-guard --wait " + printable(device) + " waits for its end";
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
        elsewhere.push_back("it is still mounted at " + printable(r.target) + in_namespace(snapshot, r));
        break;
      case MountReasonKind::Detached:
        // The mount only the kernel holds is the filesystem itself, no other mount of it.
        if (const Mount* m = snapshot.mount(r.mount); m != nullptr && m->kernel_held())
          elsewhere.push_back("its filesystem is pinned by" +
                              pinners_text(snapshot, pins_of(snapshot, r), "", options));
        else
          elsewhere.push_back("another lazily unmounted mount of it" +
                              (r.target.empty() ? std::string() : " (from " + printable(r.target) + ")") +
                              " is pinned by" + pinners_text(snapshot, pins_of(snapshot, r), "", options));
        add_advice(snapshot, r, elsewhere);
        break;
      case MountReasonKind::LoopBackingFile:
      case MountReasonKind::SwapFile:
        elsewhere.push_back(kernel_line(r, "on it"));
        break;
      case MountReasonKind::KernelObject:
        elsewhere.push_back(kernel_objects_line(snapshot, r, false));
        add_advice(snapshot, r, elsewhere);
        break;
      case MountReasonKind::Suspects:
        elsewhere.push_back(suspects_line(snapshot, r, "holds"));
        break;
      default:
        break;
    }
  }
  if (own == nullptr && elsewhere.empty()) return {};
  std::vector<std::string> out;
  std::string first = when == Survival::AfterLazyUmount    ? "lazily unmounted, but its filesystem lives on"
                      : when == Survival::AfterPlainUmount ? "unmounted, but its filesystem lives on"
                                                           : "gave up waiting: its filesystem lives on";
  if (own != nullptr)
    first += ", pinned by" + pinners_text(snapshot, pins_of(snapshot, *own), "findmnt --detached", options);
  out.push_back(first);
  if (own != nullptr) {
    add_pinner_details(snapshot, pins_of(snapshot, *own), options, out);
    add_advice(snapshot, *own, out);
  }
  out.insert(out.end(), elsewhere.begin(), elsewhere.end());
  if (when == Survival::WaitTimedOut)
    out.push_back(own != nullptr ? "findmnt --detached shows it"
                                 : "losetup -d, mkfs and the like would race with it");
  else if (options.waiting)
    out.push_back(own != nullptr ? "waiting for its end (findmnt --detached shows it)"
                                 : "waiting for its end");
  else if (own != nullptr || when == Survival::AfterLazyUmount)
    out.push_back("findmnt --detached shows it" + wait_hint(snapshot, report, own));
  else
    out.push_back("losetup -d, mkfs and the like would race with it; umount --wait waits for such an end");
  return out;
}

}  // namespace detach
