// SPDX-License-Identifier: GPL-2.0-or-later
#include "run.h"

#include <signal.h>
#include <string.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "ask.h"
#include "base/i18n.h"
#include "cli/closestream.h"
#include "cli/diag.h"
#include "exit_codes.h"
#include "explain/device_text.h"
#include "explain/gaps.h"
#include "explain/pin_source.h"
#include "explain/printable.h"
#include "guard.h"
#include "mkfs_command.h"
#include "scan/command.h"
#include "scan/end_process.h"

namespace detach::guard {
namespace {

using Clock = std::chrono::steady_clock;

// --kill without --wait waits this long for the filesystems to end once the signal is sent.
constexpr std::chrono::seconds kKillWait{10};
// --wait without a limit.
constexpr std::chrono::hours kNoLimit{24 * 365};

std::string with_role(const DeviceReport& report, const Target& target) {
  if (target.role.empty() || target.role == "target") return report.device;
  // TRANSLATORS: a device and its role in a mkfs command: "/dev/sdc (log device)".
  return trf("{0} ({1})", report.device, tr(target.role.c_str()));
}

// The reports (only those not free, wrapping a mkfs: a free device is no news, mkfs speaks next), as text
// or JSON: one device's object, or {"devices": [...]} for several.
bool print_reports(const Options& options, const Check& check, const std::vector<Target>& targets) {
  if (options.quiet) return true;
  std::vector<std::size_t> shown;
  for (std::size_t i = 0; i < check.reports.size(); ++i)
    if (!options.wrapping() || options.verbose || check.reports[i].status != DeviceStatus::Free)
      shown.push_back(i);
  if (shown.empty()) return true;
  std::string out;
  if (options.json) {
    nlohmann::ordered_json devices = nlohmann::ordered_json::array();
    for (std::size_t i : shown) devices.push_back(to_json(check.snapshot, check.reports[i], options.verbose));
    nlohmann::ordered_json doc =
        devices.size() == 1 ? devices[0] : nlohmann::ordered_json{{"devices", devices}};
    out = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    for (std::size_t i : shown) {
      DeviceReport report = check.reports[i];
      report.device = with_role(report, targets[i]);
      out += render_text(check.snapshot, report);
      if (options.verbose)
        for (const std::string& line : checks_made(check.snapshot, check.reports[i], Words::person()))
          out += trf("checked: {0}", line) + "\n";
    }
  }
  return std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
}

// Processes the scan was not allowed to read, said in one line where they could change the answer: a device
// reported busy or unchecked may be held by them too (a free one was claimed: nothing holds it).
void warn_gaps(const Options& options, const Check& check) {
  if (options.verbose && !options.quiet) cli::warnx(pin_source_text(check.snapshot));
  if (options.quiet || check.all_free()) return;
  if (std::string denied = denied_processes_text(check.snapshot.gaps); !denied.empty()) {
    // TRANSLATORS: {0} says which processes could not be read, {1} is empty or says that root sees more.
    cli::warnx(trnf("{0}; it may use the devices too{1}", "{0}; they may use the devices too{1}",
                    check.snapshot.gaps.denied_processes.size(), denied,
                    detach::root_sees_more(check.snapshot.gaps)));
  }
}

Outcome outcome_of(const Check& check) {
  Outcome out = Outcome::Free;
  for (const DeviceReport& r : check.reports) {
    if (r.status == DeviceStatus::Unchecked) return Outcome::Error;
    if (r.status != DeviceStatus::Free) out = Outcome::Busy;
  }
  return out;
}

// --kill: ends the pinners of the detached filesystems, after asking. False when nothing was sent because
// it must not be (a pinner is mkfs-guard or its parent) or the user said no.
bool end_pinners(const Options& options, const Check& check) {
  KillPlan plan = plan_kill(check);
  if (!plan.refused.empty()) {
    std::string who;
    for (const std::string& line : plan.refused) who += (who.empty() ? "" : ", ") + line;
    cli::warnx(trf("--kill: ending no process, since these pin the filesystems too: {0}", who));
    return false;
  }
  if (plan.tasks.empty()) return true;
  const char* signame = sigabbrev_np(*options.kill_signal);
  std::string sig = std::string("SIG") + (signame ? signame : std::to_string(*options.kill_signal).c_str());
  if (!options.yes) {
    std::string question =
        trf("End these processes ({0}), which pin lazily unmounted filesystems on the devices?", sig);
    for (const std::string& line : plan.lines) question += "\n  " + line;
    Answer answer = ask_on_terminal(question);
    if (answer == Answer::NoTerminal)
      cli::warnx(tr("--kill: no terminal to ask on (--yes ends them without asking)"));
    if (answer != Answer::Yes) return false;
  }
  for (std::size_t i = 0; i < plan.tasks.size(); ++i) {
    Result<Signalled> sent = signal_task(plan.tasks[i], *options.kill_signal);
    if (!sent) {
      cli::warnx(trf("cannot signal {0}: {1}", plan.lines[i], sent.error().message()));
    } else if (*sent == Signalled::Replaced) {
      cli::warnx(trf("not signalled: {0} is another process now", plan.tasks[i].pid));
    } else if (*sent == Signalled::Sent && !options.quiet) {
      cli::warnx(trf("sent {0} to {1}", sig, plan.lines[i]));
    }
  }
  return true;
}

// Checks the targets; with --wait or --kill, frees what detached filesystems keep busy and checks again,
// until they are free, the deadline passes, or waiting cannot help.
Result<Check> settle(const Options& options, const std::vector<Target>& targets, bool hold_claims) {
  const CheckSettings settings{hold_claims, !options.force};
  const Clock::time_point start = Clock::now();
  // --wait=N counts from the start; --wait from then on; --kill alone gives the pinners kKillWait to go.
  auto deadline_from = [&](Clock::time_point from) {
    if (options.wait_limit) return start + *options.wait_limit;
    return from + (options.wait ? std::chrono::duration_cast<Clock::duration>(kNoLimit)
                                : std::chrono::duration_cast<Clock::duration>(kKillWait));
  };
  Clock::time_point deadline = deadline_from(start);
  bool killed = false;
  while (true) {
    Result<Check> check = check_targets(targets, settings);
    if (!check || check->all_free() || (!options.wait && !options.kill_signal)) return check;
    // Held by more than lazily detached mounts (an attached mount, swap, a holder; or unusable): neither
    // waiting nor ending pinners frees it, and nothing attached is ever touched.
    if (!std::all_of(check->reports.begin(), check->reports.end(), [](const DeviceReport& r) {
          return r.status == DeviceStatus::Free || (r.busy() && held_only_by_detached_mounts(r.reasons));
        }))
      return check;
    if (options.kill_signal && !killed) {
      killed = true;
      if (!end_pinners(options, *check)) return check;
      deadline = deadline_from(Clock::now());
    }
    if (!options.quiet) {
      std::string busy;
      for (const DeviceReport& r : check->reports)
        if (r.busy()) busy += (busy.empty() ? "" : ", ") + printable(r.device);
      cli::warnx(trf("waiting until the lazily unmounted filesystems on {0} are gone", busy));
    }
    Result<WaitEnd> end = wait_for_detached(*check, targets, deadline);
    if (!end) return tl::unexpected<Error>(end.error());
    if (*end == WaitEnd::Pointless) return check;
    if (*end == WaitEnd::TimedOut) return check_targets(targets, settings);  // as it stands at the deadline
  }
}

int finish(Outcome outcome, bool wrapping) {
  return cli::finish(exit_code(outcome, wrapping), exit_code(Outcome::Error, wrapping));
}

// Resolves the devices a command takes: all of them must be block devices when we know the mkfs; for one we
// do not know, every argument that names a block device.
std::optional<std::vector<Target>> command_targets(const MkfsDevices& found) {
  std::vector<Target> targets;
  if (!found.creates_file.empty()) {
    cli::warnx(trf("{0} -C creates an image file: there is no device to check", found.program));
    return std::nullopt;
  }
  if (found.known) {
    for (const MkfsDevice& d : found.devices) {
      Result<Target> t = resolve_target(d.arg, d.role);
      if (!t) {
        const std::string message = target_error_message(d.arg, t.error());
        cli::warnx(d.role == "target" ? message : trf("{0} ({1})", message, tr(d.role.c_str())));
        return std::nullopt;
      }
      targets.push_back(std::move(*t));
    }
  } else {
    for (const std::string& arg : found.maybe)
      if (Result<Target> t = resolve_target(arg, N_("device"))) targets.push_back(std::move(*t));
  }
  if (targets.empty()) {
    cli::warnx(tr("no block device in the command"));
    return std::nullopt;
  }
  return targets;
}

// After mkfs failed: a device claimed now was claimed by someone between our check and mkfs's own open.
void explain_late_claims(const Options& options, const std::vector<Target>& targets) {
  bool any = false;
  for (const Target& t : targets) {
    Result<bool> claimed = device_claimed(t.node);
    any = any || (claimed && *claimed);
  }
  if (!any || options.quiet) return;
  Result<Check> check = check_targets(targets, CheckSettings{false, !options.force});
  if (!check) return;
  std::fflush(stdout);
  std::fputs(tr("mkfs-guard: the mkfs failed; something claimed a device after mkfs-guard let go of it:\n"),
             stderr);
  for (std::size_t i = 0; i < check->reports.size(); ++i)
    if (check->reports[i].busy()) std::fputs(render_text(check->snapshot, check->reports[i]).c_str(), stderr);
}

}  // namespace

int run_check(const Options& options) {
  std::vector<Target> targets;
  for (const std::string& name : options.devices) {
    Result<Target> t = resolve_target(name);
    if (!t) {
      cli::warnx(target_error_message(name, t.error()));
      return finish(Outcome::Usage, false);
    }
    targets.push_back(std::move(*t));
  }
  Result<Check> check = settle(options, targets, false);
  if (!check) {
    cli::warnx(trf("cannot check the devices: {0}", check.error().message()));
    return finish(Outcome::Error, false);
  }
  if (!print_reports(options, *check, targets)) return finish(Outcome::Error, false);
  warn_gaps(options, *check);
  return finish(outcome_of(*check), false);
}

int run_mkfs(const Options& options) {
  // Which devices the command takes, each resolved once.
  MkfsDevices found = mkfs_devices(options.command);
  if (!found.known && options.verbose && !options.quiet)
    cli::warnx(trf("checking every device in the command ({0})", printable(found.unknown_why)));
  std::optional<std::vector<Target>> targets = command_targets(found);
  if (!targets) return finish(Outcome::Usage, true);

  // Check them all, holding an O_EXCL claim on each free one from the check until mkfs starts.
  Result<Check> check = settle(options, *targets, true);
  if (!check) {
    cli::warnx(trf("cannot check the devices: {0}", check.error().message()));
    return finish(Outcome::Error, true);
  }
  // Flushed now: what we say comes before what mkfs says, and never twice.
  if (!print_reports(options, *check, *targets) || std::fflush(stdout) != 0)
    return finish(Outcome::Error, true);
  warn_gaps(options, *check);
  if (!check->all_free())
    return finish(outcome_of(*check) == Outcome::Error ? Outcome::Error : Outcome::Busy, true);

  // Start mkfs: the child inherits the claims and lets them go at exec (close-on-exec); ours go first, so
  // that mkfs's own O_EXCL open, the final guard, finds the devices as we checked them.
  Result<PendingCommand> mkfs = PendingCommand::fork(options.command);
  if (!mkfs) {
    cli::warnx(trf("cannot start {0}: {1}", printable(options.command.front()), mkfs.error().message()));
    return finish(Outcome::Error, true);
  }
  check->claims.clear();
  if (Status started = mkfs->start(); !started) {
    cli::warn(trf("failed to execute {0}", printable(options.command.front())), started.error().err);
    return finish(started.error().err == ENOENT ? Outcome::NotFound : Outcome::ExecFailed, true);
  }
  Result<int> status = mkfs->wait();
  if (!status) {
    cli::warnx(trf("lost {0}: {1}", printable(options.command.front()), status.error().message()));
    return finish(Outcome::Error, true);
  }
  if (*status != 0) explain_late_claims(options, *targets);
  return *status;
}

}  // namespace detach::guard
