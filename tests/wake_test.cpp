// The wake primitive: os::EventFd and runtime::Wake, the one way a thread sleeps until
// another has work for it.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "os/event_fd.hpp"
#include "runtime/wake.hpp"

namespace ringtrack {
namespace {

using Clock = std::chrono::steady_clock;

TEST(EventFd, SignalBeforeWaitIsNotLostAndIsTakenOnce) {
  os::EventFd event;
  event.signal();
  event.signal();
  EXPECT_TRUE(event.wait(0));
  EXPECT_FALSE(event.wait(0));  // two signals, one wake-up: the wait cleared both
}

TEST(EventFd, WaitWithoutSignalTimesOut) {
  os::EventFd event;
  const auto started = Clock::now();
  EXPECT_FALSE(event.wait(20));
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(20));
}

TEST(EventFd, DrainClearsASignal) {
  os::EventFd event;
  event.signal();
  event.drain();
  EXPECT_FALSE(event.wait(0));
}

TEST(Wake, ReturnsAtOnceWhenThereIsWork) {
  runtime::Wake wake;
  int checks = 0;
  wake.wait([&] { return ++checks > 0; }, -1);  // no limit: only the work can end it
  EXPECT_EQ(checks, 1);
}

TEST(Wake, WithoutWorkOrNotifyReturnsAfterTheTimeout) {
  runtime::Wake wake;
  const auto started = Clock::now();
  wake.wait([] { return false; }, 20);
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(20));
}

TEST(Wake, NotifyFromAnotherThreadWakesASleeper) {
  // The sleeper has no timeout: only the producer's push and notify can end its wait, and
  // the push is seen (no lost wake-up), however the two threads interleave.
  for (int round = 0; round < 200; ++round) {
    runtime::Wake wake;
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
      pushed.store(true, std::memory_order_release);
      wake.notify();
    });
    bool seen = false;
    while (!seen) {
      wake.wait([&] { return pushed.load(std::memory_order_acquire); }, -1);
      seen = pushed.load(std::memory_order_acquire);
    }
    producer.join();
    EXPECT_TRUE(seen);
  }
}

TEST(Wake, NotifyReachesTheFdOnlyWhileTheOwnerIsArmed) {
  // Awake, a notify costs no system call; armed (about to sleep in its own poll()), it
  // leaves fd() readable until drained, so the sleep returns at once, once.
  runtime::Wake wake;
  pollfd p{wake.fd(), POLLIN, 0};
  wake.notify();
  EXPECT_EQ(::poll(&p, 1, 0), 0);
  wake.arm();
  wake.notify();
  wake.disarm();
  EXPECT_EQ(::poll(&p, 1, 0), 1);
  wake.drain();
  EXPECT_EQ(::poll(&p, 1, 0), 0);
}

}  // namespace
}  // namespace ringtrack
