// Owns: a live capture session: choosing readers and CPUs, bringing their rings up in an
// order that lets no unfiltered or unrouted packet in, dropping privileges, and the
// batch loop (interval reports, --duration, --count, signals, interface down/up/gone).
// Does not own: a reader's loop (live_reader), formats, the screen.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <latch>
#include <string>
#include <vector>

#include <memory>
#include <thread>

#include "flow/flow_config.hpp"
#include "flow/flow_hash.hpp"
#include "os/network_interface.hpp"
#include "runtime/live_reader.hpp"
#include "runtime/report_writer.hpp"
#include "runtime/shard_links.hpp"
#include "runtime/view_source.hpp"

namespace ringtrack::runtime {

enum class FanoutKind { hash, cpu, qm, lb };

struct LiveRunOptions {
  std::string interface;
  std::string filter;
  uint32_t readers = 0;            ///< 0: one per CPU given or allowed
  std::string cpus;                ///< "0-3,8"; empty: the CPUs this process may use
  FanoutKind fanout = FanoutKind::hash;
  uint64_t ring_bytes = 64ull << 20;
  uint32_t block_bytes = 1u << 20;
  bool promiscuous = true;
  uint64_t max_flows = 1 << 20;
  flow::FlowConfig flow;
  uint64_t hash_seed = 0;
  uint64_t interval_ns = 0;        ///< interim reports (wall clock); 0 = none
  uint64_t duration_ns = 0;        ///< stop after; 0 = until stopped
  uint64_t count = 0;              ///< stop after this many TCP packets; 0 = no limit
  std::string drop_to_user;        ///< -Z
  uint32_t slow_consumer_us = 0;   ///< test hook: forced drops
  const std::atomic<bool>* stop_signal = nullptr;  ///< set by SIGINT/SIGTERM handlers
  /// One-line notices (ring shrunk, interface down/up) for stderr or a status line.
  std::function<void(const std::string&)> notice;
  /// Called once every reader captures (tests and scripts wait for it), with a summary line.
  std::function<void(const std::string&)> on_started;
};

struct LiveRunResult {
  bool interface_gone = false;
  std::string message;  ///< one line when the run ended on an error
};

class Aggregator;

/// Readers running on their CPUs, their rings joined and filtered, and the aggregator that
/// merges them. Constructed and used on one thread (the session's).
class LiveSession final : public ViewSource {
 public:
  /// Brings every reader up; throws SetupError (readers already started are stopped).
  LiveSession(const LiveRunOptions& options, ReportWriter& writer);
  ~LiveSession() override;
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  Aggregator& aggregator() noexcept { return *_aggregator; }
  uint32_t readers() const noexcept { return uint32_t(_readers.size()); }
  /// Asks every reader for an interim report as of as_of_ns (rows reach the writer through
  /// aggregator().poll()).
  void request_report(uint64_t as_of_ns);
  /// A line saying why capture cannot go on, or "": the interface is gone, or was removed
  /// and made again (the rings stay bound to the old one, which sees nothing).
  std::string interface_problem(const os::InterfaceInfo& probe) const;
  /// Readers stop reading and send their final reports.
  void stop() noexcept { _stop.store(true, std::memory_order_relaxed); }
  /// Waits for the reader threads (after the final report was written).
  void join();
  /// Sleeps until a reader has output for the aggregator, or timeout_ms passed.
  void wait_for_output(int timeout_ms) noexcept { _aggregator_wake.wait(timeout_ms); }

  uint64_t tcp_packets() const noexcept;
  uint64_t kernel_drops() const noexcept;
  bool interface_error() const noexcept;

  /// The screen's questions (ViewSource). A query waits at most half a second for the
  /// readers' answers; a reader never waits for room to answer.
  SourceStatus status() override;
  ViewResult query(flow::ViewQuery& query) override;

 private:
  void start_readers(const LiveRunOptions& options);

  std::atomic<bool> _stop{false};
  // Bring-up hand-offs between the session and its reader threads.
  std::atomic<uint32_t> _bring_up_turn{0};  // the reader whose turn it is to make its ring
  std::vector<std::exception_ptr> _errors;
  std::unique_ptr<std::latch> _joined;
  std::unique_ptr<std::latch> _unprivileged;  ///< counted down as each reader gives up its capabilities
  std::atomic<bool> _go{false};
  std::unique_ptr<std::latch> _handoffs_flushed;
  std::vector<std::unique_ptr<LiveReaderPlumbing>> _readers;
  std::vector<std::unique_ptr<PacketLink>> _handoff_links;
  std::vector<std::thread> _threads;
  std::unique_ptr<flow::FlowHasher> _hasher;
  std::unique_ptr<Aggregator> _aggregator;
  LiveReaderSettings _settings;
  os::EventFd _aggregator_wake;  ///< readers signal it; the batch loop sleeps on it
  std::string _interface;
  std::string _filter;
  int _ifindex = 0;  ///< what the rings are bound to: an interface made again gets another
  uint64_t _query_id = 0;
  // A reader may still read any query a message in its control queue points to, and the
  // one it is answering: keep as many as that (a late reader is slow, not wrong).
  static constexpr std::size_t kept_queries = ControlLink::capacity + 1;
  std::deque<std::unique_ptr<flow::ViewQuery>> _recent_queries;
};

/// Captures until duration, count, a stop signal or the interface disappearing, writing
/// reports to writer; the final report is always written. Throws SetupError before
/// capture starts (permissions, interface, filter, rings).
LiveRunResult run_live_batch(const LiveRunOptions& options, ReportWriter& writer);

}  // namespace ringtrack::runtime
