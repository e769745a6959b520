// Owns: the file reader loop, replay pacing and the clock after the end of a replay.
// Does not own: shard threads, the aggregator.
#include "runtime/file_reader_loop.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "decode/frame_decoder.hpp"
#include "os/wall_clock.hpp"
#include "runtime/backoff.hpp"

namespace ringtrack::runtime {
namespace {

using decode::PacketRecord;
namespace packet_kind = decode::packet_kind;

// Idle shards still age their connections: every 100 ms of capture time each gets a tick.
constexpr uint64_t clock_tick_ns = 100'000'000;
// A shard is woken once per this many batches (2k packets), not per batch: it sleeps
// while the reader, the slower side, fills them, and each wake-up costs system calls.
constexpr uint32_t wake_every_batches = 8;
// A paced replay waits in steps of at most this long, so stop and ticks stay prompt.
constexpr uint64_t pacing_step_ns = 50'000'000;
// Frames per libpcap batch read: the per-call cost then vanishes; stop requests are
// still seen per frame.
constexpr int frames_per_read = 4096;

PacketRecord control_record(uint8_t kind, uint64_t ts_ns) {
  PacketRecord r{};
  r.kind = kind;
  r.ts_ns = ts_ns;
  return r;
}

void sleep_ns(uint64_t ns) { std::this_thread::sleep_for(std::chrono::nanoseconds(ns)); }

}  // namespace

FileReaderLoop::FileReaderLoop(capture::PcapFileReader& reader, std::vector<FileShard>& shards,
                               SnapshotLink& snapshots, const flow::FlowHasher& hasher, uint64_t interval_ns,
                               const std::atomic<bool>& stop, const std::atomic<bool>* stop_signal,
                               FileRunBells& bells, ReplayPacing* pacing)
    : _reader(reader), _shards(shards), _snapshots(snapshots), _hasher(hasher), _interval_ns(interval_ns),
      _stop(stop), _stop_signal(stop_signal), _bells(bells), _pacing(pacing) {}

FileReadResult FileReaderLoop::run() {
  for (FileShard& shard : _shards) shard.filling = take_batch(shard);
  PacketRecord scratch{};
  const decode::LinkType link = _reader.link_type();
  const uint32_t shard_count = uint32_t(_shards.size());
  auto on_frame = [&](const decode::FrameView& frame) noexcept {
    if (stop_requested()) [[unlikely]] return false;
    if (_pacing) [[unlikely]] {
      wait_until_due(frame.ts_ns);
      _pacing->frames_read.store(_reader.frames_read(), std::memory_order_relaxed);
    }
    advance_clock(frame.ts_ns);
    // One shard: decode straight into its batch; several: the hash picks the batch.
    PacketRecord& record = shard_count == 1 ? next_slot(_shards[0]) : scratch;
    const decode::DecodeOutcome outcome = decode::decode_frame(link, frame, record);
    _decode.count(outcome);
    if (outcome != decode::DecodeOutcome::tcp) return true;
    record.flow_hash = _hasher(record.key);
    if (shard_count == 1) commit_slot(_shards[0]);
    else route(flow::shard_of(record.flow_hash, shard_count), record);
    return true;
  };
  capture::ReadResult result;
  while ((result = _reader.read_some(frames_per_read, on_frame)) == capture::ReadResult::frame) {
  }
  FileReadResult read_result;
  if (result == capture::ReadResult::damaged) {
    read_result.damaged = true;
    read_result.damage_message = _reader.damage_message();
  }
  if (_pacing) {
    _pacing->damage = read_result.damage_message;
    run_clock_after_end();
    for (uint32_t s = 0; s < shard_count; ++s) route(s, control_record(packet_kind::quit, _now_ns));
    flush_all();
  } else {
    send_to_all_shards(packet_kind::finish, _now_ns, /*final=*/true);
  }
  return read_result;
}

void FileReaderLoop::advance_clock(uint64_t ts_ns) {
  if (_now_ns == 0) {  // first frame
    _now_ns = ts_ns;
    _first_ts_ns = ts_ns;
    _start_wall_ns = os::monotonic_ns();
    _next_tick_ns = ts_ns + clock_tick_ns;
    _next_report_ns = ts_ns + _interval_ns;
    return;
  }
  if (ts_ns <= _now_ns) return;  // files need not be in time order
  if (_interval_ns != 0 && ts_ns >= _next_report_ns) {
    // One report per crossing, at the newest boundary passed (a long gap in the file
    // yields one report, not one per empty interval).
    const uint64_t boundary = _next_report_ns + (ts_ns - _next_report_ns) / _interval_ns * _interval_ns;
    _now_ns = boundary;
    send_to_all_shards(packet_kind::report, boundary, /*final=*/false);
    _next_report_ns = boundary + _interval_ns;
  }
  _now_ns = ts_ns;
  if (ts_ns >= _next_tick_ns) tick_all(ts_ns);
}

void FileReaderLoop::tick_all(uint64_t ts_ns) {
  for (uint32_t s = 0; s < _shards.size(); ++s) route(s, control_record(packet_kind::clock_tick, ts_ns));
  _next_tick_ns = ts_ns + clock_tick_ns;
}

uint64_t FileReaderLoop::replay_clock_now() const {
  const double elapsed_ns = double(os::monotonic_ns() - _start_wall_ns);
  return _first_ts_ns + uint64_t(elapsed_ns * _pacing->speed);
}

void FileReaderLoop::wait_until_due(uint64_t ts_ns) {
  if (_now_ns == 0 || _pacing->speed <= 0) {
    _pacing->clock_ns.store(std::max(ts_ns, _now_ns), std::memory_order_relaxed);
    return;
  }
  for (uint64_t clock = replay_clock_now(); clock < ts_ns && !stop_requested(); clock = replay_clock_now()) {
    // Everything before this packet is in the past: let the shards (and the screen) see it.
    flush_all();
    _pacing->clock_ns.store(clock, std::memory_order_relaxed);
    if (clock >= _next_tick_ns) {
      tick_all(clock);
      flush_all();
    }
    const uint64_t wall_left = uint64_t(double(ts_ns - clock) / _pacing->speed);
    sleep_ns(std::min(wall_left, pacing_step_ns));
  }
  _pacing->clock_ns.store(ts_ns, std::memory_order_relaxed);
}

void FileReaderLoop::run_clock_after_end() {
  flush_all();
  _pacing->frames_read.store(_reader.frames_read(), std::memory_order_relaxed);
  _pacing->ended.store(true, std::memory_order_release);
  // Time goes on after the last packet, so connections age and leave as they would have;
  // with no pacing (--speed 0) the clock stays at the last packet.
  while (!stop_requested()) {
    if (_pacing->speed > 0 && _now_ns != 0) {
      const uint64_t clock = replay_clock_now();
      _pacing->clock_ns.store(clock, std::memory_order_relaxed);
      if (clock >= _next_tick_ns) {
        _now_ns = clock;
        tick_all(clock);
        flush_all();
      }
    }
    sleep_ns(pacing_step_ns);
  }
}

bool FileReaderLoop::stop_requested() const noexcept {
  return _stop.load(std::memory_order_relaxed) || (_stop_signal && _stop_signal->load(std::memory_order_relaxed));
}

// A file is read at the speed its shards allow: waiting for a batch loses nothing.
RecordBatch* FileReaderLoop::take_batch(FileShard& shard) {
  RecordBatch* batch = nullptr;
  for (;;) {
    const uint32_t ticket = _bells.reader.ticket();
    if (shard.batches->recycled->pop_some({&batch, 1}) == 1) return batch;
    wake(shard);  // it holds every batch: it must work through them first
    _bells.reader.wait(ticket);
  }
}

void FileReaderLoop::wake(FileShard& shard) {
  shard.unrung = 0;
  shard.work->ring();
}

PacketRecord& FileReaderLoop::next_slot(FileShard& shard) noexcept {
  return shard.filling->records[shard.filling->count];
}

void FileReaderLoop::commit_slot(FileShard& shard) {
  if (++shard.filling->count == RecordBatch::capacity) flush(shard);
}

void FileReaderLoop::route(uint32_t shard_index, const PacketRecord& record) {
  FileShard& shard = _shards[shard_index];
  next_slot(shard) = record;
  commit_slot(shard);
}

void FileReaderLoop::flush(FileShard& shard) {
  if (shard.filling->count == 0) return;
  shard.batches->filled->push_one(shard.filling);  // cannot fail: the link holds every batch
  if (++shard.unrung >= wake_every_batches) wake(shard);
  shard.filling = take_batch(shard);
}

void FileReaderLoop::flush_all() {
  for (FileShard& shard : _shards) {
    flush(shard);
    wake(shard);
  }
  if (_pacing) _pacing->tcp_packets.store(_decode.of(decode::DecodeOutcome::tcp), std::memory_order_relaxed);
}

void FileReaderLoop::send_to_all_shards(uint8_t kind, uint64_t ts_ns, bool final) {
  // Counters first: the aggregator writes the report only after every shard answered,
  // and by then this snapshot is waiting for it.
  ReaderSnapshot snapshot;
  snapshot.as_of_ns = ts_ns;
  snapshot.final = final;
  snapshot.frames_read = _reader.frames_read();
  snapshot.filtered_out = _reader.frames_filtered_out();
  snapshot.decode = _decode;
  Backoff backoff;
  while (!_snapshots.push_one(snapshot)) backoff.wait();
  _bells.aggregator.ring();
  for (uint32_t s = 0; s < _shards.size(); ++s) route(s, control_record(kind, ts_ns));
  flush_all();
}

}  // namespace ringtrack::runtime
