// SPDX-License-Identifier: GPL-2.0-or-later
// run_bounded: a result or an error from the child, and a child that overstays is killed on time.
#include "kernel/bounded.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace detach {
namespace {

using namespace std::chrono_literals;

// No child may be left behind: every run reaps its own.
void ExpectNoChildren() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(RunBounded, ReturnsTheChildsAnswer) {
  Result<std::string> out =
      run_bounded([]() -> Result<std::string> { return std::string("a\0b", 3); }, 2000ms);
  ASSERT_TRUE(out.has_value()) << out.error().message();
  EXPECT_EQ(*out, std::string("a\0b", 3));
  ExpectNoChildren();
}

TEST(RunBounded, ErrorsComeBackAsValues) {
  Result<std::string> out =
      run_bounded([]() -> Result<std::string> { return fail(ENOENT, "stat", "/x"); }, 2000ms);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().err, ENOENT);
  EXPECT_EQ(out.error().op, "stat");
  EXPECT_EQ(out.error().path, "/x");
  ExpectNoChildren();
}

// Given work that would take 30 s, we should get ETIMEDOUT after the limit, and the child gone.
TEST(RunBounded, KillsAChildPastItsDeadline) {
  auto start = std::chrono::steady_clock::now();
  Result<std::string> out = run_bounded(
      []() -> Result<std::string> {
        ::sleep(30);
        return std::string("late");
      },
      100ms);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().err, ETIMEDOUT);
  EXPECT_LT(took, 2s);
  ExpectNoChildren();
}

// Given a lock another thread holds when the child is forked (as one of gcc 12's ASan allocator locks may
// be), the child waits on it forever: we should get the answer from a new child once the lock is free, well
// within the limit, and not ETIMEDOUT at the limit.
TEST(RunBounded, StartsAgainAChildThatWaitsOnAnInheritedLock) {
  std::mutex lock;
  std::promise<void> locked;
  std::thread holder([&lock, &locked] {
    std::lock_guard<std::mutex> hold(lock);
    locked.set_value();
    std::this_thread::sleep_for(300ms);
  });
  locked.get_future().wait();
  Result<std::string> out = run_bounded(
      [&lock]() -> Result<std::string> {
        std::lock_guard<std::mutex> take(lock);
        return std::string("got it");
      },
      30s);
  holder.join();
  ASSERT_TRUE(out.has_value()) << out.error().message();
  EXPECT_EQ(*out, "got it");
  ExpectNoChildren();
}

TEST(RunBounded, ExceptionInTheChildIsAnError) {
  Result<std::string> out =
      run_bounded([]() -> Result<std::string> { throw std::runtime_error("boom"); }, 2000ms);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().detail, "boom");
}

struct Pair {
  int a;
  double b;
};

TEST(RunBoundedValue, SendsAPodBack) {
  Result<Pair> out = run_bounded_value<Pair>([]() -> Result<Pair> { return Pair{7, 2.5}; }, 2000ms);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->a, 7);
  EXPECT_EQ(out->b, 2.5);
}

}  // namespace
}  // namespace detach
