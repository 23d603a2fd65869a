// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/pin_source.h"

namespace detach {
namespace {

std::string why_text(const PinSource& source, const Words& words) {
  switch (source.why) {
    case PinSourceWhy::Unsaid:
      return "";
    case PinSourceWhy::NoTaskPins:
      return words.tr("no task pins asked for");
    case PinSourceWhy::ProcAsked:
      return words.tr("the /proc source was asked for");
    case PinSourceWhy::FixtureTree:
      return words.tr("a fixture tree is read, not the running system");
    case PinSourceWhy::NotBuilt:
      return words.tr("this build has no BPF source");
    case PinSourceWhy::NotRoot:
      return words.tr("not root: CAP_BPF and CAP_PERFMON are missing");
    case PinSourceWhy::NoKernelBtf:
      // TRANSLATORS: {0} is the path of the kernel's BTF (/sys/kernel/btf/vmlinux).
      return words.trf("the kernel has no BTF ({0})", source.why_detail);
    case PinSourceWhy::Lockdown:
      return words.tr("kernel lockdown (confidentiality) refuses reading kernel memory");
    case PinSourceWhy::NotInitialPidNs:
      return words.tr("not in the initial PID namespace");
    case PinSourceWhy::LoadFailed:
      // TRANSLATORS: {0} is the error.
      return words.trf("the BPF programs did not load ({0})", source.why_detail);
    case PinSourceWhy::LoadedInKernel:
      return words.tr("loaded by the in-kernel loader");
    case PinSourceWhy::LoadedByLibbpf:
      return words.tr("loaded by libbpf");
    case PinSourceWhy::IteratorsFailed:
      // TRANSLATORS: {0} is the error.
      return words.trf("the BPF iterators failed ({0})", source.why_detail);
  }
  return "";
}

// WHY, or what a family's FALLBACK makes of it: DID_NOT_LOAD or FAILED, each in the reader's words already.
// Each is a literal trf() at its call, so that xgettext marks it as a format and msgfmt checks its
// placeholders.
std::string with_fallback(std::string why, FamilyFallback fallback, std::string did_not_load,
                          std::string failed) {
  switch (fallback) {
    case FamilyFallback::None:
      break;
    case FamilyFallback::DidNotLoad:
      return did_not_load;
    case FamilyFallback::Failed:
      return failed;
  }
  return why;
}

}  // namespace

std::string pin_source_why(const PinSource& source, const Words& words) {
  std::string why = why_text(source, words);
  why = with_fallback(
      why, source.rings,
      // TRANSLATORS: {0} says why task pins came from BPF, {1} is the error.
      words.trf(
          "{0}; io_uring registered files placed from the rings' fdinfo: their BPF program did not load "
          "({1})",
          why, source.rings_detail),
      // TRANSLATORS: {0} says why task pins came from BPF, {1} is the error.
      words.trf(
          "{0}; io_uring registered files placed from the rings' fdinfo: their BPF program failed ({1})", why,
          source.rings_detail));
  why = with_fallback(
      why, source.in_flight,
      // TRANSLATORS: {0} says why task pins came from BPF (and how rings were read), {1} is the error.
      words.trf("{0}; files in flight over unix sockets only counted from the sockets' fdinfo: their BPF "
                "program did not load ({1})",
                why, source.in_flight_detail),
      // TRANSLATORS: {0} says why task pins came from BPF (and how rings were read), {1} is the error.
      words.trf("{0}; files in flight over unix sockets only counted from the sockets' fdinfo: their BPF "
                "program failed ({1})",
                why, source.in_flight_detail));
  why = with_fallback(
      why, source.overlays,
      // TRANSLATORS: {0} says why task pins came from BPF (and how rings and files in flight were read), {1}
      // is the error.
      words.trf("{0}; overlay layers placed from the overlays' options: their BPF program did not load ({1})",
                why, source.overlays_detail),
      // TRANSLATORS: {0} says why task pins came from BPF (and how rings and files in flight were read), {1}
      // is the error.
      words.trf("{0}; overlay layers placed from the overlays' options: their BPF program failed ({1})", why,
                source.overlays_detail));
  why = with_fallback(
      why, source.binfmt,
      // TRANSLATORS: {0} says why task pins came from BPF (and how rings, files in flight and overlays were
      // read), {1} is the error.
      words.trf("{0}; binfmt_misc interpreters placed by their paths: their BPF program did not load ({1})",
                why, source.binfmt_detail),
      // TRANSLATORS: {0} says why task pins came from BPF (and how rings, files in flight and overlays were
      // read), {1} is the error.
      words.trf("{0}; binfmt_misc interpreters placed by their paths: their BPF program failed ({1})", why,
                source.binfmt_detail));
  return why;
}

}  // namespace detach
