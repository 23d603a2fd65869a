// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/attach_listener.h"

#include "kernel/listmount.h"

namespace detach {
namespace {

// How long the thread waits for events before it looks whether it should stop.
constexpr std::chrono::milliseconds kPollStep{100};

}  // namespace

Result<std::unique_ptr<AttachListener>> AttachListener::start() {
  auto watch = MountEventWatch::open();
  if (!watch) return tl::unexpected(watch.error());
  std::unique_ptr<AttachListener> listener(new AttachListener(std::move(*watch)));
  listener->thread_ = std::thread([l = listener.get()] { l->run(); });
  return listener;
}

AttachListener::~AttachListener() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

Status AttachListener::watch_namespace(int ns_fd, std::uint64_t ns_id) {
  if (Status marked = watch_.watch_namespace(ns_fd); !marked) return marked;
  std::lock_guard lock(mu_);
  ns_ids_.insert(ns_id);
  return {};
}

void AttachListener::run() {
  while (!stop_) {
    auto events = watch_.wait(kPollStep);
    if (!events) {
      std::lock_guard lock(mu_);
      failure_ = events.error();
      pending_ = true;
      changed_.notify_all();
      return;
    }
    if (!events->any) continue;
    describe(events->attached);
    std::lock_guard lock(mu_);
    pending_ = true;
    changed_.notify_all();
  }
}

// The event does not say which namespace a mount is in: the caller's first, then every watched one.
void AttachListener::describe(const std::vector<std::uint64_t>& ids) {
  std::set<std::uint64_t> namespaces;
  {
    std::lock_guard lock(mu_);
    namespaces = ns_ids_;
  }
  std::vector<Mount> found;
  for (std::uint64_t id : ids) {
    auto m = stat_mount(id, 0);
    for (auto ns = namespaces.begin(); !m && ns != namespaces.end(); ++ns) m = stat_mount(id, *ns);
    if (m) found.push_back(std::move(*m));
  }
  std::lock_guard lock(mu_);
  attached_.insert(attached_.end(), std::make_move_iterator(found.begin()),
                   std::make_move_iterator(found.end()));
}

bool AttachListener::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [this] { return pending_; });
  return std::exchange(pending_, false);
}

std::vector<Mount> AttachListener::take_attached() {
  std::lock_guard lock(mu_);
  return std::exchange(attached_, {});
}

std::optional<Error> AttachListener::failure() {
  std::lock_guard lock(mu_);
  return failure_;
}

}  // namespace detach
