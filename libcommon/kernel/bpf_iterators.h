// SPDX-License-Identifier: GPL-2.0-or-later
// Our BPF iterator programs (kernel/bpf/FAMILY.bpf.c), loaded and run: how the BPF snapshot source reads the
// kernel. A family is loaded for one snapshot and unloaded when its owner goes: nothing is pinned in bpffs,
// nothing outlives the process.
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

class BpfIterators {
 public:
  // Which skeleton loads a family: the light one (its loader program applies the CO-RE relocations in the
  // kernel: 5.17+, cheap), libbpf's (parses the kernel's BTF here, tens of milliseconds: older kernels), or
  // the light one and then libbpf's.
  enum class Loader { Any, Light, Libbpf };

  // Loads family FAMILY (a name kernel/bpf/meson.build lists). Fails with why no loader could: the kernel's
  // errno for each (EPERM without the capabilities, EINVAL or EACCES when the verifier refuses a program,
  // ENOENT without BTF), and libbpf's own words.
  static Result<BpfIterators> load(const std::string& family, Loader loader = Loader::Any);

  const std::string& family() const { return family_; }
  Loader loader() const { return loader_; }

  // Runs iterator program PROGRAM once, from a fresh iterator, and hands SINK what it writes as whole records
  // of RECORD_SIZE bytes, a batch at a time. Fails when the program is not in the family or the kernel
  // refuses the iterator. An iterator over a network namespace's objects (iter/unix) walks the namespace it
  // was opened in: NETNS_FD (an open /proc/PID/ns/net) names another than the caller's.
  using Sink = std::function<void(const std::byte* records, std::size_t count)>;
  Status run(const std::string& program, std::size_t record_size, const Sink& sink, int netns_fd = -1) const;

  // The same, each record copied into a RECORD (records.h).
  template <typename Record>
  Status for_each(const std::string& program, const std::function<void(const Record&)>& visit,
                  int netns_fd = -1) const {
    return run(
        program, sizeof(Record),
        [&visit](const std::byte* records, std::size_t count) {
          for (std::size_t i = 0; i < count; ++i) {
            Record r;
            std::memcpy(&r, records + i * sizeof(Record), sizeof(Record));
            visit(r);
          }
        },
        netns_fd);
  }

 private:
  struct Program {
    std::string name;  // as the kernel keeps it: the first 15 characters
    UniqueFd fd;
  };
  std::string family_;
  Loader loader_ = Loader::Any;
  std::vector<Program> programs_;
};

// Whether this build has the BPF source (clang, bpftool and libbpf were there: meson option bpf).
bool bpf_source_built();

}  // namespace detach
