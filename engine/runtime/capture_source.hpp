// Owns: what a session asks of the source it reads from, live rings or a capture file:
// stop, join, its part of the status line, and its checks between reports.
// Does not own: the shards, the aggregator, queries (session).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "runtime/view_source.hpp"

namespace ringtrack::runtime {

/// Called on the session's thread only (never per packet).
class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  /// Ends reading: every shard then sends its final report.
  void stop() noexcept { _stop.store(true, std::memory_order_relaxed); }
  /// Waits for the source's threads, once the final report was written.
  void join() {
    for (std::thread& t : _threads)
      if (t.joinable()) t.join();
    _threads.clear();
  }
  /// Fills the source's part of status: counters, the end of input, problems.
  virtual void fill_status(SourceStatus& status) const = 0;
  /// Every 100 ms while a batch run goes on: a line when reading cannot go on (the
  /// interface is gone), else "" (passing notices on as they arise).
  virtual std::string check() = 0;
  virtual uint64_t tcp_packets() const noexcept = 0;
  /// Capture time now: the wall clock live, the replay clock for a file.
  virtual uint64_t clock_ns() const noexcept = 0;
  /// Live rings report when the session asks, on the wall clock; a file marks its
  /// reports in its own capture time.
  virtual bool reports_on_request() const noexcept = 0;

 protected:
  std::atomic<bool> _stop{false};
  /// Every thread of the source; a derived destructor stops and joins them (they use its members).
  std::vector<std::thread> _threads;
};

}  // namespace ringtrack::runtime
