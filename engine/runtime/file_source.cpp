// Owns: the file reader loop and replay pacing.
// Does not own: shard threads, the aggregator.
#include "runtime/file_source.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "os/wall_clock.hpp"

namespace ringtrack::runtime {
namespace {

// Idle shards still age their connections: every 100 ms of capture time each gets a
// clock marker.
constexpr uint64_t clock_tick_ns = 100'000'000;
// A paced replay waits in steps of at most this long, so stop and ticks stay prompt.
constexpr uint64_t pacing_step_ns = 50'000'000;
// Frames per libpcap batch read: the per-call cost then vanishes; stop requests are
// still seen per frame.
constexpr int frames_per_read = 4096;

void sleep_ns(uint64_t ns) { std::this_thread::sleep_for(std::chrono::nanoseconds(ns)); }

}  // namespace

FileSource::FileSource(capture::PcapFileReader& reader, const flow::FlowHasher& hasher,
                       std::vector<Destination> shards, const RunOptions& options, const std::atomic<bool>& stop,
                       ReaderChannel& counters, Wake& aggregator, FileProgress& progress, Wake& own)
    : _reader(reader), _options(options), _stop(stop), _counters(counters), _aggregator(aggregator),
      _progress(progress), _own(own),
      _router(reader.link_type(), hasher, std::move(shards), /*home=*/0, Routing::all, WhenNoBatch::wait,
              own) {}

void FileSource::run() {
  const bool paced = _options.paced;
  auto on_frame = [&](const decode::FrameView& frame) noexcept {
    if (stop_requested()) [[unlikely]] return false;
    if (paced) [[unlikely]] wait_until_due(frame.ts_ns);
    advance_clock(frame.ts_ns);
    if (_reader.link_type() != _router.link()) [[unlikely]] _router.set_link(_reader.link_type());
    _router.take(frame);
    return true;
  };
  capture::ReadResult result;
  // Between reads of frames_per_read frames: a clock read per read, none per frame.
  while ((result = _reader.read_some(frames_per_read, on_frame)) == capture::ReadResult::frame)
    report_counters_if_due();
  if (result == capture::ReadResult::damaged) _progress.damage = _reader.damage_message();
  flush_all();
  _progress.ended.store(true, std::memory_order_release);
  // A replay's clock stops at the last packet, at any speed: the screen shows the file as
  // it ended until the user quits, and the metrics the whole file meanwhile.
  if (paced && _options.counters_period_ns != 0) report(Marker::counters, _now_ns);
  while (paced && !stop_requested()) sleep_ns(pacing_step_ns);
  report(Marker::finish, _now_ns);
}

void FileSource::advance_clock(uint64_t ts_ns) {
  if (_now_ns == 0) {  // first frame
    _now_ns = ts_ns;
    _first_ts_ns = ts_ns;
    _start_wall_ns = os::monotonic_ns();
    _next_tick_ns = ts_ns + clock_tick_ns;
    _next_report_ns = ts_ns + _options.interval_ns;
    _next_active_timeout_ns = ts_ns + _options.active_timeout_ns;
    return;
  }
  if (ts_ns <= _now_ns) return;  // files need not be in time order
  // One report per crossing, at the newest boundary passed (a long gap in the file yields
  // one report, not one per empty interval); the earlier boundary first.
  const bool interval_due = _options.interval_ns != 0 && ts_ns >= _next_report_ns;
  const bool active_due = _options.active_timeout_ns != 0 && ts_ns >= _next_active_timeout_ns;
  if (active_due && (!interval_due || _next_active_timeout_ns < _next_report_ns))
    report_at_boundary(Marker::active_timeout, ts_ns, _options.active_timeout_ns, _next_active_timeout_ns);
  if (interval_due) report_at_boundary(Marker::report, ts_ns, _options.interval_ns, _next_report_ns);
  if (_options.active_timeout_ns != 0 && ts_ns >= _next_active_timeout_ns)
    report_at_boundary(Marker::active_timeout, ts_ns, _options.active_timeout_ns, _next_active_timeout_ns);
  _now_ns = ts_ns;
  if (ts_ns >= _next_tick_ns) tick_all(ts_ns);
}

void FileSource::report_at_boundary(Marker marker, uint64_t ts_ns, uint64_t period_ns, uint64_t& next_ns) {
  const uint64_t boundary = next_ns + (ts_ns - next_ns) / period_ns * period_ns;
  _now_ns = std::max(_now_ns, boundary);
  report(marker, boundary);
  next_ns = boundary + period_ns;
}

void FileSource::tick_all(uint64_t ts_ns) {
  _router.send_marker(Marker::clock, ts_ns);
  _next_tick_ns = ts_ns + clock_tick_ns;
}

uint64_t FileSource::replay_clock_now() const {
  const double elapsed_ns = double(os::monotonic_ns() - _start_wall_ns);
  return _first_ts_ns + uint64_t(elapsed_ns * _options.replay_speed);
}

void FileSource::wait_until_due(uint64_t ts_ns) {
  if (_now_ns == 0 || _options.replay_speed <= 0) {
    _progress.clock_ns.store(std::max(ts_ns, _now_ns), std::memory_order_relaxed);
    return;
  }
  for (uint64_t clock = replay_clock_now(); clock < ts_ns && !stop_requested(); clock = replay_clock_now()) {
    // Everything before this packet is in the past: let the shards (and the screen) see it.
    flush_all();
    _progress.clock_ns.store(clock, std::memory_order_relaxed);
    if (clock >= _next_tick_ns) tick_all(clock);
    report_counters_if_due();
    const uint64_t wall_left = uint64_t(double(ts_ns - clock) / _options.replay_speed);
    sleep_ns(std::min(wall_left, pacing_step_ns));
  }
  _progress.clock_ns.store(ts_ns, std::memory_order_relaxed);
}

void FileSource::report_counters_if_due() {
  if (_options.counters_period_ns == 0) return;
  const uint64_t now = os::monotonic_ns();
  if (now < _next_counters_ns) return;
  _next_counters_ns = now + _options.counters_period_ns;
  report(Marker::counters, _now_ns);
}

void FileSource::flush_all() {
  _router.flush_all();
  _progress.tcp_packets.store(_router.decode_counters().of(decode::DecodeOutcome::tcp), std::memory_order_relaxed);
}

void FileSource::report(Marker marker, uint64_t ts_ns) {
  ReaderSnapshot snapshot{ts_ns, marker == Marker::finish, {}};
  snapshot.counters.frames_read = _reader.frames_read();
  snapshot.counters.bytes_read = _reader.bytes_read();
  snapshot.counters.filtered_out = _reader.frames_filtered_out();
  snapshot.counters.decode = _router.decode_counters();
  _counters.push(snapshot, _own, _aggregator);
  _router.send_marker(marker, ts_ns);
  _progress.tcp_packets.store(snapshot.counters.decode.of(decode::DecodeOutcome::tcp), std::memory_order_relaxed);
}

}  // namespace ringtrack::runtime
