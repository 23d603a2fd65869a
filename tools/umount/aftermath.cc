// SPDX-License-Identifier: GPL-2.0-or-later
#include "aftermath.h"

#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <utility>

#include "base/i18n.h"
#include "base/wall_clock.h"
#include "cli/diag.h"
#include "explain/gaps.h"
#include "explain/mount_text.h"
#include "explain/pin_source.h"
#include "explain/pinner.h"
#include "explain/printable.h"
#include "journal/journal.h"
#include "model/mount.h"
#include "scan/fs_call_timeout.h"
#include "scan/path_lookup.h"
#include "scan/real_user.h"
#include "scan/scan.h"

namespace umount_tool {
namespace {

using detach::Result;

// Scanning /proc takes well under a second; a setuid umount's unprivileged scan gets this long at most.
constexpr std::chrono::seconds kScanLimit{60};
constexpr std::size_t kJournalPinners = 10;
constexpr std::size_t kJournalPinnersChars = 400;

detach::ScanOptions scan_options(const Capture& cap, bool with_submounts, bool for_user) {
  detach::ScanOptions options;
  const detach::DeviceNumber dev = cap.mount.dev;
  const std::string below = cap.mount.target == "/" ? "/" : cap.mount.target + "/";
  // Pin details cost a syscall each: only for the filesystem asked about (and what is mounted inside it).
  options.detail_pins_of = [dev, below, with_submounts](const detach::Mount& m) {
    return m.dev == dev || (with_submounts && m.target.starts_with(below));
  };
  // Never call into other filesystems (a dead FUSE daemon would cost the bound): nothing here needs it.
  options.detached_options = false;
  options.describe_detached = [](const detach::Mount&) { return false; };
  options.describe_namespace_tasks = true;
  // A setuid umount run by a user scans as that user (as_caller): from /proc, never with BPF, whatever the
  // environment says.
  if (for_user) options.source = detach::ScanSource::Proc;
  return options;
}

const detach::Mount* find_mount(const detach::Snapshot& snapshot, const Capture& cap) {
  if (snapshot.id_kind == detach::IdKind::Unique && cap.mount.unique_id != 0)
    return snapshot.mount(cap.mount.unique_id);
  for (const auto& [key, m] : snapshot.mounts)
    if (m.old_id == cap.mount.old_id && m.dev == cap.mount.dev) return &m;
  return nullptr;
}

detach::MountKey key_of(const detach::Snapshot& snapshot, const Capture& cap) {
  const detach::Mount* m = find_mount(snapshot, cap);
  return m ? m->key : 0;
}

// Told as text through a pipe (a setuid umount works it out in an unprivileged child): the journal's
// pinners on the first line, then the lines to say. Lines hold no newline (printable() escapes them).
std::string encode(const std::string& pinners, const std::vector<std::string>& lines) {
  std::string out = pinners + "\n";
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// WORK as the user a setuid umount runs for (it must not show them what they may not see), else as is.
Result<std::string> as_caller(const std::function<Result<std::string>()>& work) {
  if (privileged_for_user()) return detach::run_as_real_user(work, kScanLimit);
  return work();
}

// "30 seconds", "0.5 seconds" (the number as the locale writes it).
std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) {
    const auto seconds = static_cast<unsigned long>(ms.count() / 1000);
    return detach::trnf("{0} second", "{0} seconds", seconds, seconds);
  }
  char number[32];
  std::snprintf(number, sizeof number, "%.3g", static_cast<double>(ms.count()) / 1000);
  return detach::trf("{0} seconds", number);
}

}  // namespace

void print_lines(const std::string& target, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::fflush(stdout);
  const std::string indent(cli::program_name().size() + 2, ' ');
  std::string text = cli::program_name() + ": " + detach::printable(target) + ": " + lines.front() + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) text += indent + lines[i] + "\n";
  std::fputs(text.c_str(), stderr);
}

Capture Aftermath::capture(const char* spec) {
  Capture cap;
  libmnt_context* cxt = ctx_.get();
  if (mnt_context_is_fake(cxt)) return cap;
  libmnt_fs* fs = nullptr;
  if (mnt_context_find_umount_fs(cxt, spec, &fs) != 0 || fs == nullptr) return cap;
  auto text = [](const char* s) { return s ? std::string(s) : std::string(); };
  cap.mount.target = text(mnt_fs_get_target(fs));
  cap.mount.source = text(mnt_fs_get_srcpath(fs) ? mnt_fs_get_srcpath(fs) : mnt_fs_get_source(fs));
  cap.mount.fstype = text(mnt_fs_get_fstype(fs));
  cap.mount.vfs_options = text(mnt_fs_get_options(fs));
  const dev_t devno = mnt_fs_get_devno(fs);
  if (cap.mount.target.empty()) return cap;
  // The path leads to the mount in its namespace (-N): look from there.
  libmnt_ns* origin = mnt_context_switch_target_ns(cxt);
  if (origin == nullptr) return cap;
  if (auto id = detach::identify_mount(cap.mount.target)) {
    // The top mount at the target is what umount(2) will act on; the table's entry must be that one.
    cap.known = devno == 0 || detach::DeviceNumber::from_dev(devno) == id->dev;
    cap.mount.unique_id = id->unique_id;
    cap.mount.old_id = id->old_id;
    cap.mount.dev = id->dev;
    cap.mount.ns_id = id->ns_id;
    cap.mount.ns_inode = id->ns_inode;
  }
  if (cap.known) {
    if (!cap.mount.dev.anonymous() && cap.mount.source.starts_with("/dev/")) cap.device = cap.mount.source;
    if (!watch_) {
      if (auto created = detach::FsEndWatch::create()) watch_.emplace(std::move(*created));
    }
    if (watch_) {
      if (auto index = watch_->add(cap.mount.target, cap.device)) cap.watch = *index;
    }
    if (!ctx_.restricted() && cap.mount.target == spec) {
      const auto stat = detach::stat_paths_bounded({cap.mount.target}, detach::StatSync::Sync,
                                                   detach::fs_call_timeout_from_environment());
      cap.unanswering = !stat[0] && stat[0].error().err == ETIMEDOUT;
    }
  }
  mnt_context_switch_ns(cxt, origin);
  return cap;
}

bool Aftermath::ended(const Capture& cap) {
  if (!watch_ || !cap.watch) return false;
  if (!watch_->update()) return false;
  return watch_->state(*cap.watch) != detach::FsEndWatch::State::Alive;
}

void Aftermath::explain_busy(const Capture& cap) {
  if (cfg_.quiet || !cap.known) return;
  const bool verbose = mnt_context_is_verbose(ctx_.get()) == 1;
  auto told = as_caller([&]() -> Result<std::string> {
    detach::ScanOptions options = scan_options(cap, true, for_user_);
    // umount's own cwd is its shell's, and its own fds may be on the mount: it is looked at too.
    options.skip_self = false;
    auto snapshot = detach::take_snapshot(options);
    if (!snapshot) return tl::unexpected(snapshot.error());
    std::vector<std::string> lines;
    if (const detach::Mount* m = find_mount(*snapshot, cap)) {
      detach::MountReport report = detach::explain_busy_mount(*snapshot, *m, {detach::caller_chain()});
      lines = detach::busy_text(*snapshot, report, {verbose, false, {}});
    }
    // What could not be seen matters only when nothing seen explains it.
    if (std::string denied = detach::denied_processes_text(snapshot->gaps); lines.empty() && !denied.empty())
      lines.push_back(detach::trf("{0}: what pins it may be among them", denied));
    if (lines.empty())
      lines.emplace_back(detach::tr("nothing seen pins it: it may just have been let go, try again"));
    if (verbose) lines.push_back(detach::pin_source_text(*snapshot));
    return encode({}, lines);
  });
  if (!told) {
    if (verbose)
      cli::warnx(detach::trf("cannot tell why {0} is busy: {1}", cap.mount.target, told.error().message()));
    return;
  }
  std::vector<std::string> lines = split_lines(*told);
  if (lines.size() < 2) return;
  std::fflush(stdout);
  const std::string indent(cli::program_name().size() + 2, ' ');
  std::string text;
  for (std::size_t i = 1; i < lines.size(); ++i) text += indent + lines[i] + "\n";
  std::fputs(text.c_str(), stderr);
}

namespace {

// What the journal keeps of the umount CAP was about, made now, for the boot BOOT_ID. UNMOUNTED: a plain
// umount (its filesystem outlived it), not a lazy detach.
detach::DetachRecord record_of_umount(const Capture& cap, bool unmounted, std::string boot_id) {
  detach::DetachRecord r = detach::record_of(cap.mount, detach::now_seconds(), "umount", std::move(boot_id));
  r.unmounted = unmounted;
  return r;
}

}  // namespace

Aftermath::Told Aftermath::survey(const Capture& cap, detach::Survival when, const std::string& waited) {
  const bool verbose = mnt_context_is_verbose(ctx_.get()) == 1;
  const bool waiting = cfg_.wait && when != detach::Survival::WaitTimedOut;
  auto told = as_caller([&]() -> Result<std::string> {
    detach::ScanOptions options = scan_options(cap, false, for_user_);
    // Not journaled yet: where it was tells where a path the kernel keeps in it lies now.
    options.just_unmounted = {record_of_umount(cap, when == detach::Survival::AfterPlainUmount, {})};
    auto snapshot = detach::take_snapshot(options);
    if (!snapshot) return tl::unexpected(snapshot.error());
    detach::MountKey key = key_of(*snapshot, cap);
    detach::MountReport report = detach::explain_survival(*snapshot, key, cap.mount.dev, cap.mount.ns_inode);
    std::vector<std::string> lines =
        detach::survival_text(*snapshot, report, when, {verbose, waiting, waited});
    if (verbose && !lines.empty()) lines.push_back(detach::pin_source_text(*snapshot));
    std::string pinners;
    if (key != 0)
      pinners = detach::describe_pins(*snapshot, snapshot->pins_of(key), detach::Words::program(),
                                      kJournalPinners, kJournalPinnersChars);
    return encode(pinners, lines);
  });
  if (!told) {
    if (verbose)
      cli::warnx(
          detach::trf("cannot tell what keeps {0} alive: {1}", cap.mount.target, told.error().message()));
    return {};
  }
  std::vector<std::string> lines = split_lines(*told);
  if (lines.empty()) return {};
  Told out{lines.front(), {lines.begin() + 1, lines.end()}};
  return out;
}

void Aftermath::record_umount(const Capture& cap, const std::string& pinners, bool unmounted) {
  auto boot = detach::current_boot_id();
  detach::Status done = boot ? detach::Status() : detach::Status(tl::unexpected(boot.error()));
  if (boot) {
    detach::DetachRecord r = record_of_umount(cap, unmounted, *boot);
    r.pinners = pinners;
    done = detach::DetachJournal().append(r);
  }
  // The journal only helps later questions: it never makes umount fail. One it declines to trust (EPERM,
  // ELOOP: journal.h) is said always, as the watcher says it, since nothing else tells; any other failure
  // only when asked (-v).
  const bool untrusted = !done && (done.error().err == EPERM || done.error().err == ELOOP);
  if (!done && (untrusted || mnt_context_is_verbose(ctx_.get())))
    cli::warnx(unmounted ? detach::trf("warning: the umount of {0} is not recorded: {1}", cap.mount.target,
                                       done.error().message())
                         : detach::trf("warning: the detach of {0} is not recorded: {1}", cap.mount.target,
                                       done.error().message()));
}

void Aftermath::after_success(const Capture& cap) {
  libmnt_context* cxt = ctx_.get();
  if (!cap.known || mnt_context_is_fake(cxt)) return;
  // A read-only remount (-r) instead of the umount leaves the mount where it is.
  if (mnt_context_is_rdonly_umount(cxt)) {
    unsigned long flags = 0;
    if (mnt_context_get_mflags(cxt, &flags) == 0 && (flags & MS_REMOUNT)) return;
  }
  const bool lazy = mnt_context_is_lazy(cxt) == 1;
  const bool gone = ended(cap);
  if (lazy) {
    Told told = gone ? Told{} : survey(cap, detach::Survival::AfterLazyUmount);
    record_umount(cap, told.pinners, false);
    if (!cfg_.quiet) print_lines(cap.mount.target, told.lines);
  } else if (!gone) {
    // Another mount of it in this namespace: it lives on where the user sees it, nothing to say or wait for.
    auto here = detach::namespace_has_mount_of(cap.mount.dev);
    if (here && *here) {
      if (cfg_.wait && !cfg_.quiet)
        print_lines(cap.mount.target,
                    {detach::tr("not waiting: its filesystem is still mounted in this namespace")});
      return;
    }
    Told told = survey(cap, detach::Survival::AfterPlainUmount);
    // Its filesystem outlived it (an overlay's private copies of it hold it): where it was is kept too.
    record_umount(cap, {}, true);
    if (!cfg_.quiet) print_lines(cap.mount.target, told.lines);
  }
  if (cfg_.wait && !gone && cap.watch) waiting_.push_back(cap);
}

int Aftermath::finish_waiting() {
  if (waiting_.empty() || !watch_) return MNT_EX_SUCCESS;
  // Nothing privileged is left to do: wait as the user (the device then is confirmed free only if they may
  // open it).
  if (privileged_for_user()) ctx_.drop_privileges();
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (cfg_.wait_timeout) deadline = std::chrono::steady_clock::now() + *cfg_.wait_timeout;
  auto all = watch_->wait(deadline);
  if (!all) {
    cli::warnx(detach::trf("cannot wait for the unmounted filesystems: {0}", all.error().message()));
    return MNT_EX_SYSERR;
  }
  if (*all) return MNT_EX_SUCCESS;
  for (const Capture& cap : waiting_) {
    if (watch_->state(*cap.watch) != detach::FsEndWatch::State::Alive) continue;
    const std::string after = seconds_text(*cfg_.wait_timeout);
    std::vector<std::string> lines = survey(cap, detach::Survival::WaitTimedOut, after).lines;
    if (lines.empty())
      lines.push_back(detach::trf("gave up waiting after {0}: its filesystem lives on", after));
    print_lines(cap.mount.target, lines);
  }
  return MNT_EX_FAIL;
}

}  // namespace umount_tool
