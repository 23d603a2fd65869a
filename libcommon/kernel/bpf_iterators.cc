// SPDX-License-Identifier: GPL-2.0-or-later
// The programs of a family are loaded by kernel/bpf/bpf_families.c (the skeletons' C glue); from then on they
// are fds, and running an iterator takes three bpf(2) calls made here directly: libbpf is opened only when
// a family must be loaded through it.
#include "kernel/bpf_iterators.h"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kernel/bpf/skeleton_glue.h"
#include "kernel/net_namespace.h"

namespace detach {

namespace {

int sys_bpf(int cmd, bpf_attr& attr) {
  return static_cast<int>(::syscall(SYS_bpf, cmd, &attr, sizeof attr));
}

// An iterator link on PROG_FD (all tasks: no iterator arguments).
int link_iterator(int prog_fd) {
  bpf_attr attr{};
  attr.link_create.prog_fd = static_cast<__u32>(prog_fd);
  attr.link_create.attach_type = BPF_TRACE_ITER;
  return sys_bpf(BPF_LINK_CREATE, attr);
}

// A fresh iterator of LINK_FD: reading it runs the program over every object once.
int open_iterator(int link_fd) {
  bpf_attr attr{};
  attr.iter_create.link_fd = static_cast<__u32>(link_fd);
  return sys_bpf(BPF_ITER_CREATE, attr);
}

// The same, opened in network namespace NETNS_FD (none: the caller's).
Result<UniqueFd> open_iterator_in(int link_fd, int netns_fd, const std::string& what) {
  auto open = [link_fd, &what]() -> Result<UniqueFd> {
    UniqueFd iter(open_iterator(link_fd));
    if (!iter) return fail_errno("bpf iter_create", what);
    return iter;
  };
  if (netns_fd < 0) return open();
  Result<UniqueFd> out;
  if (Status entered = in_net_namespace(netns_fd, [&out, &open] { out = open(); }); !entered)
    return tl::unexpected(entered.error());
  return out;
}

std::string program_name(int prog_fd) {
  bpf_prog_info info{};
  bpf_attr attr{};
  attr.info.bpf_fd = static_cast<__u32>(prog_fd);
  attr.info.info_len = sizeof info;
  attr.info.info = reinterpret_cast<__u64>(&info);
  if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, attr) != 0) return {};
  return std::string(info.name, strnlen(info.name, sizeof info.name));
}

const detach_bpf_family* find_family(const std::string& name) {
  for (std::size_t i = 0; i < detach_bpf_family_count; ++i)
    if (name == detach_bpf_families[i].name) return &detach_bpf_families[i];
  return nullptr;
}

}  // namespace

Result<BpfIterators> BpfIterators::load(const std::string& family, Loader loader) {
  const detach_bpf_family* f = find_family(family);
  if (f == nullptr) return fail(ENOENT, "bpf", family, "no such family of programs");
  detach_bpf_loaded out{};
  int err = -EINVAL;
  std::string why;
  Loader used = Loader::Light;
  if (loader != Loader::Libbpf) {
    err = f->load_light(&out);
    if (err != 0) why = std::string("in-kernel loader: ") + std::strerror(-err);
  }
  if (err != 0 && loader != Loader::Light) {
    used = Loader::Libbpf;
    err = f->load_libbpf(&out);
    if (err != 0) {
      const std::string warning = detach_bpf_libbpf_warning();
      why += (why.empty() ? "libbpf: " : "; libbpf: ") + (warning.empty() ? std::strerror(-err) : warning);
    }
  }
  if (err != 0) return fail(0, "bpf", family, why);  // WHY has each loader's errno already

  BpfIterators loaded;
  loaded.family_ = family;
  loaded.loader_ = used;
  for (int i = 0; i < out.count; ++i) {
    UniqueFd fd(out.prog_fds[i]);
    std::string name = program_name(fd.get());
    loaded.programs_.push_back(Program{std::move(name), std::move(fd)});
  }
  return loaded;
}

Status BpfIterators::run(const std::string& program, std::size_t record_size, const Sink& sink,
                         int netns_fd) const {
  const Program* prog = nullptr;
  // The kernel keeps the first BPF_OBJ_NAME_LEN - 1 characters of a program's name.
  const std::string kept = program.substr(0, BPF_OBJ_NAME_LEN - 1);
  for (const Program& p : programs_)
    if (p.name == kept) prog = &p;
  const std::string what = family_ + "/" + program;
  if (prog == nullptr || record_size == 0) return fail(ENOENT, "bpf", what, "no such program");
  UniqueFd link(link_iterator(prog->fd.get()));
  if (!link) return fail_errno("bpf link_create", what);
  auto opened = open_iterator_in(link.get(), netns_fd, what);
  if (!opened) return tl::unexpected(opened.error());
  const UniqueFd iter = std::move(*opened);

  // A read gives what the iterator's buffer holds, which may end inside a record: the rest of that record
  // comes first in the next read.
  constexpr std::size_t kBatchBytes = 1 << 16;
  std::vector<std::byte> buffer((kBatchBytes / record_size + 1) * record_size);
  std::size_t held = 0;
  for (;;) {
    ssize_t n = ::read(iter.get(), buffer.data() + held, buffer.size() - held);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read", "bpf iterator " + what);
    if (n == 0) break;
    held += static_cast<std::size_t>(n);
    const std::size_t whole = held / record_size;
    if (whole > 0) sink(buffer.data(), whole);
    const std::size_t rest = held - whole * record_size;
    std::memmove(buffer.data(), buffer.data() + whole * record_size, rest);
    held = rest;
  }
  if (held != 0) return fail(EPROTO, "read", "bpf iterator " + what, "a record cut short");
  return {};
}

bool bpf_source_built() {
  return true;
}

}  // namespace detach
