// Owns: a live capture source: its readers and their threads, the start-up sequence, and
// what it tells the session: counters and the interface's state (down, gone, made again).
// Does not own: a reader's loop (ring_reader), the bring-up hand-offs, the plan (live_plan).
#pragma once

#include <atomic>
#include <latch>
#include <memory>
#include <vector>

#include "flow/flow_hash.hpp"
#include "os/wall_clock.hpp"
#include "runtime/capture_source.hpp"
#include "runtime/handoff_matrix.hpp"
#include "runtime/live_plan.hpp"
#include "runtime/ring_bring_up.hpp"
#include "runtime/ring_reader.hpp"
#include "runtime/run_options.hpp"

namespace ringtrack::runtime {

class LiveCapture final : public CaptureSource {
 public:
  /// Brings every reader up (throws SetupError; readers already started are ended).
  /// shards[i] and counters[i] are reader i's; they outlive this source.
  LiveCapture(const RunOptions& options, const LivePlan& plan, const std::vector<ShardChannels*>& shards,
              const std::vector<ReaderChannel*>& counters, const flow::FlowHasher& hasher, Wake& aggregator);
  ~LiveCapture() override;
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  void fill_status(SourceStatus& status) const override;
  std::string check() override;
  uint64_t tcp_packets() const noexcept override;
  uint64_t clock_ns() const noexcept override { return os::realtime_ns(); }
  bool reports_on_request() const noexcept override { return true; }

 private:
  void make_readers(const LivePlan& plan, const std::vector<ShardChannels*>& shards,
                    const std::vector<ReaderChannel*>& counters);
  void start_threads(const capture::RingConfig& ring);
  /// After every ring is made: the real filters, -Z, this thread's capabilities.
  void secure(const LivePlan& plan, const RunOptions& options);
  void announce(const RunOptions& options) const;
  /// A line when the interface is gone or was made again, else "".
  std::string interface_problem(const os::InterfaceInfo& probe) const;
  /// A ReaderProgress counter added up over the readers.
  uint64_t sum_of(std::atomic<uint64_t> ReaderProgress::*counter) const noexcept;

  std::string _interface;
  int _ifindex = 0;  ///< what the rings are bound to: an interface made again gets another
  bool _interface_was_up = true;
  std::function<void(const std::string&)> _notice;
  RingReaderSettings _settings;
  std::unique_ptr<std::latch> _handoffs_flushed;
  std::unique_ptr<HandoffMatrix> _handoff;
  std::vector<std::unique_ptr<RingReaderParts>> _readers;
  std::unique_ptr<RingBringUp> _bring_up;
};

}  // namespace ringtrack::runtime
