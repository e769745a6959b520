// Owns: the live reader loop: blocks, decode, shard updates, handoff, statistics, reports.
// Does not own: ring bring-up (capture/rx_ring) or session policy (live_session).
#include "runtime/live_reader.hpp"

#include <array>
#include <chrono>
#include <thread>

#include "capture/block_walk.hpp"
#include "decode/frame_decoder.hpp"
#include "os/packet_socket.hpp"
#include "os/wall_clock.hpp"
#include "runtime/backoff.hpp"
#include "runtime/shard_worker.hpp"

namespace ringtrack::runtime {
namespace {

using decode::PacketRecord;

// Records are applied to the shard in batches of this size: enough for the shard's
// prefetch pipeline, small enough to stay in L1/L2.
constexpr std::size_t local_batch = 256;
// Records for another shard are pushed in batches of this size (one queue publish each).
constexpr std::size_t handoff_batch = 64;
// When the ring is empty: wake this often to tick clocks, answer reports and check stop.
constexpr int idle_poll_ms = 100;
// ... and this often while a report waits for room in the output queue: a quiet link must
// not hold a 100k-row report to 4096 rows per idle poll (2.4 s instead of milliseconds).
constexpr int reporting_poll_ms = 1;
// PACKET_STATISTICS counters are 32 bits and clear on read: read them every second.
constexpr uint64_t statistics_period_ns = 1'000'000'000;
// Removed rows queued before the sleeping aggregator is woken: a quarter of the output
// queue, so three quarters are still free while it wakes up.
constexpr uint32_t aggregator_wake_rows = uint32_t(OutputLink::capacity / 4);

class LiveReaderLoop {
 public:
  LiveReaderLoop(LiveReaderPlumbing& plumbing, const LiveReaderSettings& settings)
      : _p(plumbing), _s(settings), _shard(*plumbing.shard), _ring(*plumbing.ring),
        _remote(plumbing.handoff_out.size()) {
    _shard.set_removal_sink(flow::RemovalSink(*this));
  }

  /// RemovalSink: a removed connection's last row. While capturing it never waits for the
  /// queue (a full queue is counted); after stop it may.
  void operator()(const flow::ConnView& view) noexcept {
    ShardOutput message;
    message.kind = ShardOutput::Kind::removed;
    message.view = view;
    if (_stopped) {
      OutputPort{_p.out.get()}.push_blocking(message);
    } else if (!_p.out->push_one(message)) {
      ++_reports_lost;
      if (!_told_full) wake_aggregator();  // once per spell of a full queue, not per row lost
      _told_full = true;
    } else {
      _told_full = false;
      if (++_rows_unannounced == aggregator_wake_rows) wake_aggregator();
    }
  }

  void run() {
    uint32_t current = 0;
    uint64_t next_statistics_ns = os::monotonic_ns() + statistics_period_ns;
    while (!_s.stop->load(std::memory_order_relaxed)) {
      tpacket_block_desc* block = _ring.block(current);
      if (capture::RxRing::user_may_pull(block)) {
        process_block(block);
        capture::RxRing::return_block_to_kernel(block);
        current = current + 1 == _ring.block_count() ? 0 : current + 1;
        _p.progress.interface_error.store(false, std::memory_order_relaxed);
        pause_if_slow();
      } else {
        flush_handoff();
        int error = 0;
        const int rc =
            os::wait_for_block(_ring.fd(), _reporting ? reporting_poll_ms : idle_poll_ms, error, _p.wake->fd());
        if (rc == 0) _shard.advance_clock(os::realtime_ns());
        if (rc < 0) {
          _p.progress.interface_error.store(true, std::memory_order_relaxed);
          std::this_thread::sleep_for(std::chrono::milliseconds(idle_poll_ms));
        }
      }
      drain_handoff_in();
      serve_control();
      if (_reporting) continue_report();
      const uint64_t mono = os::monotonic_ns();
      if (mono >= next_statistics_ns) {
        read_kernel_statistics();
        next_statistics_ns = mono + statistics_period_ns;
      }
    }
    finish(current);
  }

 private:
  void wake_aggregator() noexcept {
    _rows_unannounced = 0;
    if (_s.aggregator_wake) _s.aggregator_wake->signal();
  }

  void process_block(const tpacket_block_desc* block) {
    const decode::LinkType link = _s.link_type;
    capture::walk_block(block, [&](const decode::FrameView& frame, uint8_t packet_type) {
      if (_s.skip_outgoing && packet_type == PACKET_OUTGOING) {
        ++_loopback_copies;  // loopback shows each packet twice: once outgoing, once in
        return;
      }
      ++_frames;
      PacketRecord& record = _batch[_batch_count];
      const decode::DecodeOutcome outcome = decode::decode_frame(link, frame, record);
      _decode.count(outcome);
      if (outcome != decode::DecodeOutcome::tcp) return;
      record.flow_hash = (*_s.hasher)(record.key);
      if (_s.route_by_hash) {
        const uint32_t owner = flow::shard_of(record.flow_hash, uint32_t(_remote.size()));
        if (owner != _p.index) {
          hand_off(owner, record);
          return;
        }
      }
      if (++_batch_count == local_batch) apply_batch();
    });
    apply_batch();
    flush_handoff();
    _p.progress.tcp_packets.store(_decode.of(decode::DecodeOutcome::tcp), std::memory_order_relaxed);
  }

  void apply_batch() {
    if (_batch_count == 0) return;
    _shard.apply(std::span(_batch.data(), _batch_count));
    _batch_count = 0;
  }

  void hand_off(uint32_t owner, const PacketRecord& record) {
    RemoteBatch& remote = _remote[owner];
    remote.records[remote.count++] = record;
    if (remote.count == handoff_batch) push_remote(owner);
  }

  void push_remote(uint32_t owner) {
    RemoteBatch& remote = _remote[owner];
    if (remote.count == 0) return;
    const std::size_t pushed = _p.handoff_out[owner]->push_some({remote.records.data(), remote.count});
    _handoff_drops += remote.count - pushed;  // never wait: the ring must keep draining
    remote.count = 0;
  }

  void flush_handoff() {
    for (uint32_t owner = 0; owner < _remote.size(); ++owner)
      if (owner != _p.index) push_remote(owner);
  }

  void drain_handoff_in() {
    for (PacketLink* link : _p.handoff_in) {
      std::size_t n;
      while ((n = link->pop_some(std::span(_inbox.data(), _inbox.size()))) != 0)
        _shard.apply(std::span(_inbox.data(), n));
    }
  }

  void read_kernel_statistics() {
    const os::PacketStatistics s = os::read_and_clear_statistics(_ring.fd());
    _kernel.packets += s.packets;
    _kernel.drops += s.drops;
    _kernel.freezes += s.freezes;
    _p.progress.kernel_drops.store(_kernel.drops, std::memory_order_relaxed);
  }

  ReaderSnapshot snapshot(uint64_t as_of_ns, bool final) {
    read_kernel_statistics();
    ReaderSnapshot s;
    s.as_of_ns = as_of_ns;
    s.final = final;
    s.frames_read = _frames;
    s.loopback_copies = _loopback_copies;
    s.decode = _decode;
    s.kernel = _kernel;
    s.reports_lost = _reports_lost;
    s.handoff_drops = _handoff_drops;
    return s;
  }

  void serve_control() {
    if (_reporting) return;  // one report at a time; the next waits in the queue
    ControlMessage message;
    if (_p.control->pop_some({&message, 1}) == 0) return;
    _p.wake->drain();
    if (message.kind == ControlMessage::Kind::view) {
      // The screen's clock is the wall clock: let idle connections age to it first.
      _shard.advance_clock(message.as_of_ns);
      answer_view(_shard, message, OutputPort{_p.out.get()}, /*may_wait=*/false, _view_rows);
      return;
    }
    // The snapshot link holds one entry per report and the session asks for the next
    // report only after this one was written: it cannot be full.
    _p.snapshots->push_one(snapshot(message.as_of_ns, false));
    wake_aggregator();
    _reporting = true;
    _report_cursor = 0;
    _report_as_of_ns = message.as_of_ns;
    _shard.pause_removals(true);
  }

  // Copies the report out as far as the queue allows, then returns to the ring; records
  // do not move meanwhile (removals paused), so every connection is sent exactly once.
  void continue_report() {
    ShardOutput message;
    message.kind = ShardOutput::Kind::interim;
    while (_report_cursor < _shard.table().size()) {
      message.view = _shard.view_of(_report_cursor, _report_as_of_ns, flow::EndReason::none);
      if (!_p.out->push_one(message)) {
        wake_aggregator();  // full: it drains while this reader goes back to its ring
        return;
      }
      ++_report_cursor;
    }
    ShardOutput end;
    end.kind = ShardOutput::Kind::report_end;
    end.stats = _shard.stats();
    if (!_p.out->push_one(end)) {
      wake_aggregator();
      return;
    }
    wake_aggregator();
    _reporting = false;
    _shard.pause_removals(false);
  }

  // After stop: no packet enters any more; the block being filled is retired by the
  // kernel's timer within retire_timeout_ms; every block is read; then the kernel's count
  // equals frames read + drops exactly. Waiting on queues loses nothing from here on.
  void finish(uint32_t current) {
    try {
      _ring.stop_intake();
    } catch (const std::exception&) {
      // The interface is gone: its counters no longer move either.
    }
    // Every block already handed over is read, however long that takes (a backed-up ring
    // holds hundreds); the deadline only bounds the wait for the last, partly filled one.
    const uint64_t deadline = os::monotonic_ns() + (uint64_t(_ring.retire_timeout_ms()) * 3 + 20) * 1'000'000;
    for (;;) {
      tpacket_block_desc* block = _ring.block(current);
      if (!capture::RxRing::user_may_pull(block)) {
        if (os::monotonic_ns() >= deadline) break;
        int error = 0;
        os::wait_for_block(_ring.fd(), 5, error);
        continue;
      }
      process_block(block);
      capture::RxRing::return_block_to_kernel(block);
      current = current + 1 == _ring.block_count() ? 0 : current + 1;
      drain_handoff_in();
      pause_if_slow();
    }
    _stopped = true;
    Backoff backoff;
    while (_reporting) {
      continue_report();
      if (_reporting) backoff.wait();
    }
    flush_handoff();
    if (_s.handoffs_flushed) {
      // Keep draining while the others finish, so none waits on a full queue to us.
      _s.handoffs_flushed->count_down();
      while (!_s.handoffs_flushed->try_wait()) {
        drain_handoff_in();
        backoff.wait();
      }
    }
    drain_handoff_in();
    const uint64_t now = os::realtime_ns();
    _shard.advance_clock(now);
    ReaderSnapshot s = snapshot(now, true);
    while (!_p.snapshots->push_one(s)) backoff.wait();
    emit_report_blocking(_shard, now, ShardOutput::Kind::final, OutputPort{_p.out.get()});
  }

  /// The forced-drops test's slow consumer: a pause after every block read.
  void pause_if_slow() const {
    if (_s.slow_consumer_us != 0) std::this_thread::sleep_for(std::chrono::microseconds(_s.slow_consumer_us));
  }

  struct RemoteBatch {
    std::array<PacketRecord, handoff_batch> records;
    std::size_t count = 0;
  };

  LiveReaderPlumbing& _p;
  const LiveReaderSettings& _s;
  flow::FlowShard& _shard;
  capture::RxRing& _ring;
  std::array<PacketRecord, local_batch> _batch;
  std::size_t _batch_count = 0;
  std::array<PacketRecord, local_batch> _inbox;
  std::vector<flow::ConnView> _view_rows;
  std::vector<RemoteBatch> _remote;
  decode::DecodeCounters _decode;
  uint64_t _frames = 0;
  uint64_t _loopback_copies = 0;
  RingCounters _kernel;
  uint64_t _reports_lost = 0;
  uint64_t _handoff_drops = 0;
  uint32_t _rows_unannounced = 0;  ///< removed rows queued since the aggregator was last woken
  bool _told_full = false;         ///< the aggregator was woken for the queue being full, and it still is
  bool _reporting = false;
  bool _stopped = false;
  uint32_t _report_cursor = 0;
  uint64_t _report_as_of_ns = 0;
};

}  // namespace

void run_live_reader(LiveReaderPlumbing& plumbing, const LiveReaderSettings& settings) {
  LiveReaderLoop loop(plumbing, settings);
  loop.run();
}

}  // namespace ringtrack::runtime
