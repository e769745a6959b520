// Owns: live start-up in order, the readers' threads, the interface checks.
// Does not own: a reader's loop or ring steps.
#include "runtime/live_capture.hpp"

#include "os/privileges.hpp"
#include "os/thread_name.hpp"

namespace ringtrack::runtime {

LiveCapture::LiveCapture(const RunOptions& options, const LivePlan& plan, const std::vector<ShardChannels*>& shards,
                         const std::vector<ReaderChannel*>& counters, const flow::FlowHasher& hasher,
                         Wake& aggregator)
    : _interface(options.interface), _ifindex(plan.interface.ifindex), _notice(options.notice) {
  _settings.link_type = plan.filter.link_type;
  _settings.skip_outgoing = plan.interface.loopback;
  _settings.routing = plan.routing;
  _settings.hasher = &hasher;
  _settings.stop = &_stop;
  _handoffs_flushed = std::make_unique<std::latch>(plan.readers());
  _settings.handoffs_flushed = _handoffs_flushed.get();
  _settings.aggregator = &aggregator;
  _settings.slow_consumer_us = options.slow_consumer_us;

  make_readers(plan, shards, counters);
  start_threads(plan.ring);
  try {
    _bring_up->wait_for_rings();
    secure(plan, options);
  } catch (...) {
    stop();
    _bring_up->release(false);
    join();
    throw;
  }
  _bring_up->release(true);
  _bring_up->wait_unprivileged();  // "capturing" means: with no privilege left anywhere
  announce(options);
}

LiveCapture::~LiveCapture() {
  stop();
  join();
}

void LiveCapture::make_readers(const LivePlan& plan, const std::vector<ShardChannels*>& shards,
                               const std::vector<ReaderChannel*>& counters) {
  if (plan.routing != Routing::home) _handoff = std::make_unique<HandoffMatrix>(shards);
  for (uint32_t i = 0; i < plan.readers(); ++i) {
    auto reader = std::make_unique<RingReaderParts>();
    reader->index = i;
    reader->cpu = plan.reader_cpus[i];
    reader->channels = shards[i];
    reader->counters = counters[i];
    if (_handoff) {
      reader->destinations = _handoff->destinations_of(i);
      reader->inbound = _handoff->inbound_of(i);
    }
    _readers.push_back(std::move(reader));
  }
  _bring_up = std::make_unique<RingBringUp>(plan.readers());
}

void LiveCapture::start_threads(const capture::RingConfig& ring) {
  // The threads outlive the constructor: everything they share lives in this source.
  for (uint32_t i = 0; i < _readers.size(); ++i)
    _threads.emplace_back([this, i, ring] {
      os::name_current_thread("rt-reader" + std::to_string(i));
      RingReaderParts& reader = *_readers[i];
      if (_bring_up->run_reader_steps(reader, *_readers[0], ring, _stop)) run_ring_reader(reader, _settings);
    });
}

void LiveCapture::secure(const LivePlan& plan, const RunOptions& options) {
  for (auto& r : _readers) r->ring->install_filter(plan.filter.program);
  if (!options.drop_to_user.empty()) os::drop_privileges_to(options.drop_to_user);
  os::drop_capabilities();
  if (_notice)
    for (auto& r : _readers)
      if (!r->ring->ring_note().empty()) _notice(r->ring->ring_note());
}

void LiveCapture::announce(const RunOptions& options) const {
  if (!options.on_started) return;
  const std::size_t count = _readers.size();
  std::string line = "capturing on " + options.interface + " with " + std::to_string(count) +
                     (count == 1 ? " reader (CPU" : " readers (CPUs");
  for (auto& r : _readers) line += ' ' + std::to_string(r->cpu);
  line += "), fanout group " + std::to_string(_readers[0]->ring->fanout_id());
  // The memory the rings hold: the largest part of ringtrack's, sized by the link's speed.
  line += ", rings of " + std::to_string(_readers[0]->ring->ring_bytes() >> 20) + " MiB";
  if (!options.filter.empty()) line += ", filter: " + options.filter;
  options.on_started(line);
}

void LiveCapture::fill_status(SourceStatus& status) const {
  status.kernel_drops = sum_of(&ReaderProgress::kernel_drops);
  status.ring_bytes = _readers.empty() ? 0 : _readers[0]->ring->ring_bytes();
  const os::InterfaceInfo probe = os::probe_interface(_interface);
  status.problem = interface_problem(probe);
  status.interface_down = status.problem.empty() && !probe.up;
}

std::string LiveCapture::check() {
  const os::InterfaceInfo probe = os::probe_interface(_interface);
  if (std::string problem = interface_problem(probe); !problem.empty()) return problem + "; capture ended";
  if (_interface_was_up != probe.up) {
    _interface_was_up = probe.up;
    if (_notice)
      _notice(probe.up ? "interface " + _interface + " is up again; capturing"
                       : "interface " + _interface + " went down; waiting for it");
  }
  return "";
}

std::string LiveCapture::interface_problem(const os::InterfaceInfo& probe) const {
  if (probe.ifindex == 0) return "interface " + _interface + " disappeared";
  if (probe.ifindex != _ifindex)
    return "interface " + _interface + " was removed and made again (index " + std::to_string(_ifindex) +
           ", now " + std::to_string(probe.ifindex) + ")";
  return "";
}

uint64_t LiveCapture::tcp_packets() const noexcept { return sum_of(&ReaderProgress::tcp_packets); }

uint64_t LiveCapture::sum_of(std::atomic<uint64_t> ReaderProgress::*counter) const noexcept {
  uint64_t n = 0;
  for (auto& r : _readers) n += (r->progress.*counter).load(std::memory_order_relaxed);
  return n;
}

}  // namespace ringtrack::runtime
