// Owns: live bring-up across readers, privilege drop, and the batch loop.
// Does not own: a reader's loop or ring steps.
#include "runtime/live_session.hpp"

#include <linux/if_packet.h>

#include <chrono>
#include <exception>
#include <latch>

#include "capture/live_filter.hpp"
#include "os/setup_error.hpp"
#include "os/cpu_set.hpp"
#include "os/network_interface.hpp"
#include "os/privileges.hpp"
#include "os/thread_name.hpp"
#include "os/wall_clock.hpp"
#include "runtime/aggregator.hpp"
#include "runtime/backoff.hpp"
#include "runtime/file_pipeline.hpp"

namespace ringtrack::runtime {
namespace {

// Bytes of each packet kept in the ring (the filter's return value): link, two VLAN tags,
// PPPoE, IPv6 with ~150 bytes of extension headers and the TCP header fit. Counts come
// from the original length, so nothing is lost by not copying payload.
constexpr uint32_t live_snap_bytes = 256;
// How often the batch loop looks at the interface, the clock and the counters.
constexpr uint64_t housekeeping_ns = 100'000'000;

uint16_t fanout_mode_bits(FanoutKind kind) {
  switch (kind) {
    case FanoutKind::hash: return PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG;
    case FanoutKind::cpu: return PACKET_FANOUT_CPU;
    case FanoutKind::qm: return PACKET_FANOUT_QM;
    case FanoutKind::lb: return PACKET_FANOUT_LB;
  }
  return PACKET_FANOUT_HASH;
}

}  // namespace

LiveSession::LiveSession(const LiveRunOptions& options, ReportWriter& writer)
    : _interface(options.interface), _filter(options.filter) {
  const os::InterfaceInfo interface = os::interface_info(options.interface);
  if (!interface.up)
    throw SetupError("interface " + options.interface + " is down (ip link set " + options.interface + " up)");
  const capture::LiveFilter filter =
      capture::compile_live_filter(options.interface, options.filter, live_snap_bytes);

  const std::vector<int> allowed = os::allowed_cpus();
  std::vector<int> cpus = options.cpus.empty() ? allowed : os::parse_cpu_list(options.cpus, allowed);
  const uint32_t count = options.readers != 0 ? options.readers : uint32_t(cpus.size());

  _hasher = std::make_unique<flow::FlowHasher>(options.hash_seed);
  _settings.link_type = filter.link_type;
  _settings.skip_outgoing = interface.loopback;
  _settings.route_by_hash = options.fanout != FanoutKind::hash;
  _settings.hasher = _hasher.get();
  _settings.stop = &_stop;
  _handoffs_flushed = std::make_unique<std::latch>(count);
  _settings.handoffs_flushed = _handoffs_flushed.get();
  _settings.slow_consumer_us = options.slow_consumer_us;
  _settings.aggregator_wake = &_aggregator_wake;

  const uint32_t capacity = capacity_per_shard(options.max_flows, count);
  for (uint32_t i = 0; i < count; ++i) {
    auto reader = std::make_unique<LiveReaderPlumbing>();
    reader->index = i;
    reader->cpu = cpus[i % cpus.size()];
    reader->shard = std::make_unique<flow::FlowShard>(options.flow, capacity, *_hasher, i);
    _readers.push_back(std::move(reader));
  }
  if (_settings.route_by_hash) {
    // handoff[i][j]: reader i to shard j.
    _handoff_links.resize(std::size_t(count) * count);
    for (uint32_t i = 0; i < count; ++i)
      for (uint32_t j = 0; j < count; ++j) {
        if (i == j) {
          _readers[i]->handoff_out.push_back(nullptr);
          continue;
        }
        auto& link = _handoff_links[std::size_t(i) * count + j];
        link = std::make_unique<PacketLink>();
        _readers[i]->handoff_out.push_back(link.get());
        _readers[j]->handoff_in.push_back(link.get());
      }
  }

  std::vector<OutputLink*> outputs;
  std::vector<SnapshotLink*> snapshots;
  for (auto& r : _readers) {
    outputs.push_back(r->out.get());
    snapshots.push_back(r->snapshots.get());
  }
  _aggregator = std::make_unique<Aggregator>(outputs, snapshots, writer);
  _aggregator->set_live(true);

  capture::RingConfig ring;
  ring.interface = options.interface;
  ring.ifindex = interface.ifindex;
  _ifindex = interface.ifindex;
  ring.ring_bytes = options.ring_bytes;
  ring.block_bytes = options.block_bytes;
  ring.promiscuous = options.promiscuous;
  ring.fanout_mode = fanout_mode_bits(options.fanout);

  // Bring-up: each reader pins itself, then creates its ring (so the kernel allocates it
  // near that CPU) and joins the fanout group, one reader at a time in reader order:
  // reader 0 learns the group id the kernel picked. The order matters past start-up: when
  // the interface goes down the kernel takes every socket out of the group, and when it
  // comes up puts them back in the order the sockets were made; made in join order, the
  // group is the same and each connection stays with its reader. Every socket still drops
  // everything (its filter is a drop-all barrier) until all have joined: only then do real
  // filters go in, so no packet is seen before it is routed by the complete group.
  // The threads outlive this constructor: everything they share lives in the session.
  _errors.resize(count);
  _joined = std::make_unique<std::latch>(count);
  _unprivileged = std::make_unique<std::latch>(count);
  std::atomic<uint32_t>& turn = _bring_up_turn;
  std::vector<std::exception_ptr>& errors = _errors;
  std::latch& joined = *_joined;
  std::latch& unprivileged = *_unprivileged;
  std::atomic<bool>& go = _go;
  for (uint32_t i = 0; i < count; ++i) {
    _threads.emplace_back([this, i, ring, &turn, &errors, &joined, &unprivileged, &go] {
      LiveReaderPlumbing& reader = *_readers[i];
      os::name_current_thread("rt-reader" + std::to_string(i));
      try {
        if (reader.cpu >= 0) os::pin_current_thread(reader.cpu);
      } catch (...) {
        errors[i] = std::current_exception();
      }
      for (uint32_t now = turn.load(); now != i; now = turn.load()) turn.wait(now);
      if (!errors[i]) {
        try {
          // Reader 0 had its turn: its ring, made or not, says which group to join.
          std::optional<uint16_t> group;
          if (i != 0) {
            if (!_readers[0]->ring) throw SetupError("reader 0 failed");
            group = _readers[0]->ring->fanout_id();
          }
          reader.ring = std::make_unique<capture::RxRing>(ring, group);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      }
      turn.store(i + 1);
      turn.notify_all();
      joined.count_down();
      go.wait(false);
      if (errors[i] || _stop.load()) {
        unprivileged.count_down();
        return;
      }
      // This thread's own capabilities (they are per thread): its socket is all it needed
      // them for. Only now, as -Z's setuid on the main thread needs every thread still
      // able to follow it. Emptying the sets cannot fail short of a kernel fault.
      try {
        os::drop_capabilities();
      } catch (...) {
        errors[i] = std::current_exception();
        _stop.store(true);
        unprivileged.count_down();
        return;
      }
      unprivileged.count_down();
      run_live_reader(reader, _settings);
    });
  }
  joined.wait();
  std::exception_ptr first_error;
  for (auto& e : errors)
    if (e && !first_error) first_error = e;
  try {
    if (first_error) std::rethrow_exception(first_error);
    for (auto& r : _readers) r->ring->install_filter(filter.program);
    if (!options.drop_to_user.empty()) os::drop_privileges_to(options.drop_to_user);
    os::drop_capabilities();
    if (options.notice)
      for (auto& r : _readers)
        if (!r->ring->ring_note().empty()) options.notice(r->ring->ring_note());
  } catch (...) {
    _stop.store(true);
    go.store(true);
    go.notify_all();
    for (auto& t : _threads) t.join();
    _threads.clear();
    throw;
  }
  go.store(true);
  go.notify_all();
  unprivileged.wait();  // "capturing" means: with no privilege left anywhere
  if (options.on_started) {
    std::string line = "capturing on " + options.interface + " with " + std::to_string(count) + (count == 1 ? " reader (CPU" : " readers (CPUs");
    for (auto& r : _readers) {
      line += ' ';
      line += std::to_string(r->cpu);
    }
    line += "), fanout group ";
    line += std::to_string(_readers[0]->ring->fanout_id());
    if (!options.filter.empty()) {
      line += ", filter: ";
      line += options.filter;
    }
    options.on_started(line);
  }
}

LiveSession::~LiveSession() {
  _stop.store(true);
  // Readers block on full queues only after stop, while the aggregator drains them.
  while (!_threads.empty() && !_aggregator->finished()) {
    if (!_aggregator->poll()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  join();
}

void LiveSession::join() {
  for (auto& t : _threads)
    if (t.joinable()) t.join();
  _threads.clear();
}

void LiveSession::request_report(uint64_t as_of_ns) {
  ControlMessage message;
  message.kind = ControlMessage::Kind::report;
  message.as_of_ns = as_of_ns;
  // Woken, a reader on a quiet ring starts at once instead of at its next idle poll.
  for (auto& r : _readers)
    if (r->control->push_one(message)) r->wake->signal();
}

SourceStatus LiveSession::status() {
  SourceStatus s;
  s.source = _interface;
  s.filter = _filter;
  s.live = true;
  s.readers = readers();
  s.clock_ns = os::realtime_ns();
  s.tcp_packets = tcp_packets();
  s.kernel_drops = kernel_drops();
  const os::InterfaceInfo probe = os::probe_interface(_interface);
  s.problem = interface_problem(probe);
  s.interface_down = s.problem.empty() && !probe.up;
  return s;
}

std::string LiveSession::interface_problem(const os::InterfaceInfo& probe) const {
  if (probe.ifindex == 0) return "interface " + _interface + " disappeared";
  if (probe.ifindex != _ifindex)
    return "interface " + _interface + " was removed and made again (index " + std::to_string(_ifindex) +
           ", now " + std::to_string(probe.ifindex) + ")";
  return "";
}

ViewResult LiveSession::query(flow::ViewQuery& query) {
  // Answers to a query that timed out may still come in: expect_view ignores other ids.
  query.as_of_ns = os::realtime_ns();
  const uint64_t id = ++_query_id;
  _aggregator->expect_view(id);
  // Readers read the query through a pointer, perhaps after this call timed out: give
  // them a copy that outlives it (the last few are kept; a reader answers within a block).
  _recent_queries.push_back(std::make_unique<flow::ViewQuery>(query));
  if (_recent_queries.size() > kept_queries) _recent_queries.pop_front();
  ControlMessage message;
  message.kind = ControlMessage::Kind::view;
  message.as_of_ns = query.as_of_ns;
  message.query = _recent_queries.back().get();
  message.query_id = id;
  for (auto& r : _readers) {
    if (r->control->push_one(message)) r->wake->signal();
  }
  // Readers answer between ring blocks, or at once when their ring is quiet (woken above).
  constexpr uint64_t answer_timeout_ns = 500'000'000;
  const uint64_t deadline = os::monotonic_ns() + answer_timeout_ns;
  while (!_aggregator->view_ready() && os::monotonic_ns() < deadline)
    if (!_aggregator->poll()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  ViewResult result;
  result.complete = _aggregator->view_ready();
  result.rows = _aggregator->view_rows();
  result.totals = _aggregator->view_totals();
  merge_view_rows(result.rows, query);
  return result;
}

uint64_t LiveSession::tcp_packets() const noexcept {
  uint64_t n = 0;
  for (auto& r : _readers) n += r->progress.tcp_packets.load(std::memory_order_relaxed);
  return n;
}

uint64_t LiveSession::kernel_drops() const noexcept {
  uint64_t n = 0;
  for (auto& r : _readers) n += r->progress.kernel_drops.load(std::memory_order_relaxed);
  return n;
}

bool LiveSession::interface_error() const noexcept {
  for (auto& r : _readers)
    if (r->progress.interface_error.load(std::memory_order_relaxed)) return true;
  return false;
}

LiveRunResult run_live_batch(const LiveRunOptions& options, ReportWriter& writer) {
  LiveSession session(options, writer);
  LiveRunResult result;
  const uint64_t started = os::monotonic_ns();
  uint64_t next_housekeeping = started + housekeeping_ns;
  uint64_t next_report = options.interval_ns ? started + options.interval_ns : UINT64_MAX;
  uint64_t reports_asked = 0;
  bool interface_was_up = true;
  bool stopping = false;
  Backoff backoff;
  while (!session.aggregator().finished()) {
    if (session.aggregator().poll()) {
      backoff.reset();
    } else if (stopping) {
      backoff.wait();  // final reports stream in: readers wait on a full queue now
    } else {
      // Idle until a reader has output or the next housekeeping is due: an aggregator
      // that polled here would burn a sixth of a core on a quiet link.
      const uint64_t now = os::monotonic_ns();
      if (now < next_housekeeping)
        session.wait_for_output(int((next_housekeeping - now + 999'999) / 1'000'000));
    }
    const uint64_t now = os::monotonic_ns();
    if (stopping || now < next_housekeeping) continue;
    next_housekeeping = now + housekeeping_ns;

    bool stop = options.stop_signal && options.stop_signal->load(std::memory_order_relaxed);
    if (writer.failed()) stop = true;  // the output is gone: nothing more can be reported
    if (options.duration_ns && now - started >= options.duration_ns) stop = true;
    if (options.count && session.tcp_packets() >= options.count) stop = true;
    const os::InterfaceInfo probe = os::probe_interface(options.interface);
    if (const std::string problem = session.interface_problem(probe); !problem.empty()) {
      result.interface_gone = true;
      result.message = problem + "; capture ended";
      stop = true;
    } else if (interface_was_up != probe.up) {
      interface_was_up = probe.up;
      if (options.notice)
        options.notice(probe.up ? "interface " + options.interface + " is up again; capturing"
                                : "interface " + options.interface + " went down; waiting for it");
    }
    if (stop) {
      stopping = true;
      session.stop();
      continue;
    }
    // One interim report at a time: ask for the next once the last was written.
    if (now >= next_report && session.aggregator().reports_written() == reports_asked) {
      session.request_report(os::realtime_ns());
      ++reports_asked;
      next_report += options.interval_ns;
      if (next_report <= now) next_report = now + options.interval_ns;
    }
  }
  session.join();
  return result;
}

}  // namespace ringtrack::runtime
