// Owns: the live reader loop: blocks, statistics, quiet-ring clock, reports, the final drain.
// Does not own: ring bring-up (ring_bring_up) or session policy (session).
#include "runtime/ring_reader.hpp"

#include <chrono>
#include <thread>

#include "capture/block_walk.hpp"
#include "os/packet_socket.hpp"
#include "os/wall_clock.hpp"

namespace ringtrack::runtime {
namespace {

// When the ring is empty: wake this often to tick the clock and check stop (control
// messages and handoff batches wake the reader at once).
constexpr int idle_poll_ms = 100;
// ... and this often while a report waits for room in the output link: the aggregator
// tells the reader when it made room, and this bounds the wait should that ever be missed.
constexpr int reporting_poll_ms = 1;
// PACKET_STATISTICS counters are 32 bits and clear on read: read them every second.
constexpr uint64_t statistics_period_ns = 1'000'000'000;
// No limit on the handoff batches taken between ring blocks.
constexpr uint32_t all_batches = UINT32_MAX;

std::vector<Destination> with_local(std::vector<Destination> destinations, uint32_t index, ShardDriver& driver) {
  if (destinations.empty()) destinations.resize(1);
  destinations[destinations.size() == 1 ? 0 : index] = Destination{&driver, nullptr, nullptr};
  return destinations;
}

class RingReader {
 public:
  RingReader(RingReaderParts& parts, const RingReaderSettings& settings)
      : _parts(parts), _settings(settings), _ring(*parts.ring), _wake(*parts.channels->wake),
        _driver(*parts.channels, *settings.aggregator, OutputPolicy::never_wait, parts.inbound),
        _router(settings.link_type, *settings.hasher, with_local(parts.destinations, parts.index, _driver),
                parts.destinations.size() > 1 ? parts.index : 0, settings.routing, WhenNoBatch::drop,
                _wake) {}

  void run() {
    uint64_t next_statistics_ns = os::monotonic_ns() + statistics_period_ns;
    while (!_settings.stop->load(std::memory_order_acquire)) {  // sees the control pushed before it
      if (!read_next_block()) sleep_until_work();
      _driver.take_inbound(all_batches);
      if (_driver.serve_control() == ShardDriver::Served::report)
        push_counters(_driver.report_as_of_ns(), /*final=*/false);
      _driver.continue_report();
      const uint64_t mono = os::monotonic_ns();
      if (mono >= next_statistics_ns) {
        read_kernel_statistics();
        next_statistics_ns = mono + statistics_period_ns;
      }
    }
    finish();
  }

 private:
  /// Reads the next block if the kernel has handed it over.
  bool read_next_block() {
    tpacket_block_desc* block = _ring.block(_current);
    if (!capture::RxRing::user_may_pull(block)) return false;
    capture::walk_block(block, [this](const decode::FrameView& frame, uint8_t packet_type) {
      if (_settings.skip_outgoing && packet_type == PACKET_OUTGOING) {
        ++_loopback_copies;  // loopback shows each packet twice: once outgoing, once in
        return;
      }
      ++_frames;
      _bytes += frame.wire_bytes;
      _router.take(frame);
    });
    _router.flush_all();
    capture::RxRing::return_block_to_kernel(block);
    _current = _current + 1 == _ring.block_count() ? 0 : _current + 1;
    _parts.progress.tcp_packets.store(_router.decode_counters().of(decode::DecodeOutcome::tcp),
                                      std::memory_order_relaxed);
    pause_if_slow();
    return true;
  }

  void sleep_until_work() {
    _wake.arm();
    if (_driver.has_work()) {
      _wake.disarm();
      return;
    }
    const int rc = os::wait_for_block(_ring.fd(), _driver.reporting() ? reporting_poll_ms : idle_poll_ms, _wake.fd());
    _wake.disarm();
    if (rc > 0) _wake.drain();
    if (rc == 0) _driver.advance_clock(os::realtime_ns());  // a quiet ring: age connections
    // The interface is down (ENETDOWN): the session notices; look again later.
    if (rc < 0) std::this_thread::sleep_for(std::chrono::milliseconds(idle_poll_ms));
  }

  void read_kernel_statistics() {
    const os::PacketStatistics s = os::read_and_clear_statistics(_ring.fd());
    _kernel += RingCounters{s.packets, s.drops, s.freezes};
    _parts.progress.kernel_drops.store(_kernel.drops, std::memory_order_relaxed);
  }

  /// This reader's counters for the report as of as_of_ns; the aggregator writes the
  /// report once every reader's counters and every shard's rows are in.
  void push_counters(uint64_t as_of_ns, bool final) {
    read_kernel_statistics();
    ReaderSnapshot s{as_of_ns, final, {}};
    s.counters.frames_read = _frames;
    s.counters.bytes_read = _bytes;
    s.counters.loopback_copies = _loopback_copies;
    s.counters.decode = _router.decode_counters();
    s.counters.kernel = _kernel;
    s.counters.reports_lost = _driver.reports_lost();
    s.counters.handoff_drops = _router.handoff_drops();
    _parts.counters->push(s, _wake, *_settings.aggregator);
  }

  // After stop: no packet enters any more; the block being filled is retired by the
  // kernel's timer within retire_timeout_ms; every block is read; then the kernel's count
  // equals frames read + drops exactly. Waiting on queues loses nothing from here on.
  void finish() {
    try {
      _ring.stop_intake();
    } catch (const std::exception&) {
      // The interface is gone: its counters no longer move either.
    }
    // Every block already handed over is read, however long that takes (a backed-up ring
    // holds hundreds); the deadline only bounds the wait for the last, partly filled one.
    const uint64_t deadline = os::monotonic_ns() + (uint64_t(_ring.retire_timeout_ms()) * 3 + 20) * 1'000'000;
    while (read_next_block() || os::monotonic_ns() < deadline) {
      _driver.take_inbound(all_batches);
      if (!capture::RxRing::user_may_pull(_ring.block(_current))) os::wait_for_block(_ring.fd(), 5);
    }
    _driver.set_policy(OutputPolicy::wait);
    _driver.complete_report();
    // Reports asked before the stop (interim, active timeout, the metrics' counters) are
    // answered by every reader before its final one: the aggregator merges the same
    // report from all of them, whichever saw the stop first.
    for (ShardDriver::Served served; (served = _driver.serve_control()) != ShardDriver::Served::nothing;) {
      if (served != ShardDriver::Served::report) continue;
      push_counters(_driver.report_as_of_ns(), /*final=*/false);
      _driver.complete_report();
    }
    _router.flush_all();
    if (std::latch* flushed = _settings.handoffs_flushed) {
      // Keep taking batches while the others finish, so none finds our pools full.
      flushed->count_down();
      while (!flushed->try_wait()) {
        _driver.take_inbound(all_batches);
        _wake.wait([this, flushed] { return flushed->try_wait() || _driver.has_work(); }, 1);
      }
    }
    _driver.take_inbound(all_batches);
    const uint64_t now = os::realtime_ns();
    _driver.advance_clock(now);
    push_counters(now, /*final=*/true);
    _driver.begin_report(now, ShardOutput::Kind::final);
    _driver.complete_report();
  }

  /// The forced-drops test's slow consumer: a pause after every block read.
  void pause_if_slow() const {
    if (_settings.slow_consumer_us != 0)
      std::this_thread::sleep_for(std::chrono::microseconds(_settings.slow_consumer_us));
  }

  RingReaderParts& _parts;
  const RingReaderSettings& _settings;
  capture::RxRing& _ring;
  Wake& _wake;
  ShardDriver _driver;
  RecordRouter _router;
  uint32_t _current = 0;  // the next block to read
  uint64_t _frames = 0;
  uint64_t _bytes = 0;
  uint64_t _loopback_copies = 0;
  RingCounters _kernel;
};

}  // namespace

void run_ring_reader(RingReaderParts& parts, const RingReaderSettings& settings) {
  RingReader(parts, settings).run();
}

}  // namespace ringtrack::runtime
