// Owns: one collector's exporter thread and the bounded queue that feeds it: records in,
// messages out, reconnects with backoff, UDP template refresh, the drain at the end.
// Does not own: the transport session itself (collector_link) or which records are made
// (ipfix_writer).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "ipfix/collector_link.hpp"
#include "ipfix/export_counters.hpp"
#include "ipfix/flow_record.hpp"
#include "runtime/spsc_link.hpp"
#include "runtime/wake.hpp"

namespace ringtrack::ipfix {

/// The producer is one thread (the aggregator's, through ipfix_writer); the exporter
/// thread is the consumer. The thread and what it touches live in a shared State, so a
/// thread stuck in the kernel (a TCP collector that never reads) can be left behind at
/// the end without blocking the exit.
class CollectorExporter {
 public:
  /// Whether any exporter thread was left behind in the kernel. The process must then end
  /// with _Exit: static destructors (libfixbuf's lock, GLib's tables) must not run under it.
  static bool any_left_behind() noexcept;

  /// 32768 records (3.75 MiB): half a minute of a busy gateway's removals at 1k/s while
  /// a collector restarts, and a bound on memory whatever the collector does.
  static constexpr std::size_t queue_records = 32768;

  CollectorExporter(const CollectorSpec& spec, std::shared_ptr<ExportCounters> counters);
  /// Stops, waiting at most one second for a collector that takes nothing.
  ~CollectorExporter();
  CollectorExporter(const CollectorExporter&) = delete;
  CollectorExporter& operator=(const CollectorExporter&) = delete;

  RecordShape shape() const noexcept { return _state->spec.shape; }

  /// Producer: queues a record. A full queue drops it (counted) unless wait_for_room and
  /// the collector is connected: then it waits until the exporter takes some (capture
  /// files, which have no ring to overflow).
  void push(const FlowRecord& record, bool wait_for_room);
  /// Producer: the exporter sends what is queued, then ends (begin_finish), and this
  /// waits until it has, or no record went out for a second since begin_finish (the
  /// collector is gone or stuck): what stays queued is then counted as dropped. Several
  /// exporters begin, then are waited for, so the end takes a second however many are stuck.
  void begin_finish();
  void finish();

 private:
  struct State {
    CollectorSpec spec;
    std::shared_ptr<ExportCounters> counters;
    runtime::SpscLink<FlowRecord, queue_records> queue;
    runtime::Wake work;  ///< the exporter sleeps on it: records queued, or stop
    runtime::Wake room;  ///< the producer sleeps on it while the queue is full
    /// Written by the exporter thread, read by the producer; relaxed: a hint whether to
    /// wait for room, no data hangs on it.
    std::atomic<bool> connected{false};
    /// Set by the producer (release), read by the exporter (acquire): the records pushed
    /// before it are all in the queue.
    std::atomic<bool> finishing{false};
    /// Set by the exporter (release) when it has ended; the producer's acquire then sees
    /// every count it made.
    std::atomic<bool> ended{false};
    std::atomic<uint64_t> taken{0};  ///< records the exporter took off the queue (relaxed: progress)
    /// Set by the producer when it gave up waiting and counted the rest as dropped: the
    /// exporter, if it ever comes back from the kernel, counts nothing more. Read without
    /// the lock only as a hint.
    std::atomic<bool> abandoned{false};
    /// Guards settled and the choice between settling and abandoning, so each record is
    /// counted once: by the exporter (sent or dropped) or by the producer giving up.
    std::mutex settle_lock;
    uint64_t settled = 0;  ///< records the exporter counted as sent or dropped
  };
  static void run(const std::shared_ptr<State>& state);

  std::shared_ptr<State> _state;
  std::thread _thread;
  uint64_t _pushed = 0;
  uint64_t _finish_began_ns = 0;
  // push: the exporter's progress as last seen with the queue full, and when it moved.
  uint64_t _taken_seen = 0;
  uint64_t _progress_ns = 0;
};

}  // namespace ringtrack::ipfix
