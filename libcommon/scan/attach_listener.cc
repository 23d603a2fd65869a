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
    std::uint64_t read;
    {
      std::lock_guard lock(mu_);
      read = ++reads_begun_;
    }
    auto events = watch_.wait(kPollStep);
    if (!events) {
      std::lock_guard lock(mu_);
      failure_ = events.error();
      pending_ = true;
      reads_done_ = read;
      changed_.notify_all();
      return;
    }
    if (events->any) describe(events->attached);
    std::lock_guard lock(mu_);
    if (recording_detached_) detached_.insert(events->detached.begin(), events->detached.end());
    pending_ = pending_ || events->any;
    reads_done_ = read;
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

// A read begun after this call drains what was queued before it.
void AttachListener::settle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const std::uint64_t after = reads_begun_ + 1;
  changed_.wait_for(lock, timeout, [this, after] { return reads_done_ >= after || failure_.has_value(); });
}

std::set<std::uint64_t> AttachListener::stop_recording_detached() {
  std::lock_guard lock(mu_);
  recording_detached_ = false;
  return std::exchange(detached_, {});
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
