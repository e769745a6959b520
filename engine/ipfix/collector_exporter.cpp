// Owns: the exporter thread's loop and the stop protocol.
// Does not own: libfixbuf (collector_link).
#include "ipfix/collector_exporter.hpp"

#include <algorithm>
#include <array>

#include "os/thread_name.hpp"
#include "os/wall_clock.hpp"

namespace ringtrack::ipfix {
namespace {

// Records taken per pop: a few messages' worth, so a message fills in one go.
constexpr std::size_t batch_records = 64;
// Reconnect backoff: doubles from the first to the last (a collector restarting is back
// within seconds; one that is gone costs a connect attempt every 8 s).
constexpr uint64_t first_retry_ns = 250'000'000;
constexpr uint64_t last_retry_ns = 8'000'000'000;
// UDP has no session to tell a collector that restarted: templates go again this often
// (RFC 7011 section 8.4 leaves the period to the exporter). Short, because a restarted
// collector reads nothing until they come, and cheap: two templates, 148 bytes.
constexpr uint64_t udp_template_refresh_ns = 2'000'000'000;
// The exporter sleeps at most this long: retries and refreshes are due on the clock.
constexpr int idle_sleep_ms = 100;
// A collector that takes nothing for this long at the end is left behind.
constexpr uint64_t finish_patience_ns = 1'000'000'000;

std::atomic<bool> left_behind{false};

}  // namespace

CollectorExporter::CollectorExporter(const CollectorSpec& spec, std::shared_ptr<ExportCounters> counters)
    : _state(std::make_shared<State>()) {
  _state->spec = spec;
  _state->counters = std::move(counters);
  _thread = std::thread([state = _state] { run(state); });
}

CollectorExporter::~CollectorExporter() {
  finish();
  if (_thread.joinable()) {
    // finish() waited for the thread to end unless the collector kept it in the kernel.
    if (_state->ended.load(std::memory_order_acquire)) _thread.join();
    else {
      left_behind.store(true, std::memory_order_relaxed);
      _thread.detach();
    }
  }
}

bool CollectorExporter::any_left_behind() noexcept { return left_behind.load(std::memory_order_relaxed); }

void CollectorExporter::push(const FlowRecord& record, bool wait_for_room) {
  State& s = *_state;
  while (!s.queue.push_one(record)) {
    // A collector that took nothing for a second is not waited for again until it does.
    const uint64_t now = os::monotonic_ns();
    const uint64_t taken = s.taken.load(std::memory_order_relaxed);
    if (taken != _taken_seen || _progress_ns == 0) {
      _taken_seen = taken;
      _progress_ns = now;
    }
    const bool stalled = now - _progress_ns >= finish_patience_ns;
    if (!wait_for_room || stalled || !s.connected.load(std::memory_order_relaxed)) {
      s.counters->records_dropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    s.work.notify();
    s.room.wait([&s] { return s.queue.free_slots() > 0 || !s.connected.load(std::memory_order_relaxed); },
                idle_sleep_ms);
  }
  ++_pushed;
  s.work.notify();
}

void CollectorExporter::begin_finish() {
  State& s = *_state;
  if (s.finishing.exchange(true, std::memory_order_release)) return;
  _finish_began_ns = os::monotonic_ns();
  s.work.notify();
}

void CollectorExporter::finish() {
  State& s = *_state;
  begin_finish();
  if (s.abandoned.load(std::memory_order_relaxed)) return;  // finished before
  uint64_t last_taken = s.taken.load(std::memory_order_relaxed);
  uint64_t last_progress = _finish_began_ns;
  while (!s.ended.load(std::memory_order_acquire)) {
    s.room.wait([&s] { return s.ended.load(std::memory_order_acquire); }, idle_sleep_ms);
    const uint64_t taken = s.taken.load(std::memory_order_relaxed);
    const uint64_t now = os::monotonic_ns();
    if (taken != last_taken) {
      last_taken = taken;
      last_progress = now;
    } else if (now - last_progress >= finish_patience_ns) {
      // Stuck in the kernel: what is queued, and what it took but has not counted (the
      // message it is sending, the rest of its batch), will not go out.
      std::lock_guard hold(s.settle_lock);
      s.abandoned.store(true, std::memory_order_relaxed);
      s.counters->records_dropped.fetch_add(_pushed - s.settled, std::memory_order_relaxed);
      return;
    }
  }
}

void CollectorExporter::run(const std::shared_ptr<State>& state) {
  State& s = *state;
  os::name_current_thread("rt-ipfix");
  CollectorLink link(s.spec);
  ExportCounters& counters = *s.counters;
  uint64_t retry_delay_ns = first_retry_ns;
  uint64_t next_attempt_ns = 0;
  uint64_t next_refresh_ns = UINT64_MAX;
  std::array<FlowRecord, batch_records> batch;
  uint64_t sent = 0, lost = 0;
  bool connect_counted = false;
  auto settle = [&] {  // publish what the link counted
    if (link.is_open() && link.delivered_since_open() && !connect_counted) {
      counters.connects.fetch_add(1, std::memory_order_relaxed);
      connect_counted = true;
    }
    if (sent + lost == 0) return;
    std::lock_guard hold(s.settle_lock);
    if (!s.abandoned.load(std::memory_order_relaxed)) {  // else the producer counted them
      if (sent) counters.records_sent.fetch_add(sent, std::memory_order_relaxed);
      if (lost) counters.records_dropped.fetch_add(lost, std::memory_order_relaxed);
      s.settled += sent + lost;
    }
    sent = lost = 0;
  };
  auto on_failure = [&](uint64_t now) {
    s.connected.store(false, std::memory_order_relaxed);
    s.room.notify();
    next_attempt_ns = now + retry_delay_ns;
    retry_delay_ns = std::min(retry_delay_ns * 2, last_retry_ns);
  };
  for (;;) {
    const bool finishing = s.finishing.load(std::memory_order_acquire);
    uint64_t now = os::monotonic_ns();
    if (!link.is_open() && now >= next_attempt_ns) {
      if (link.open().empty()) {
        connect_counted = false;
        // UDP sends at once; TCP is connected once its first message went out.
        if (!s.spec.tcp) s.connected.store(true, std::memory_order_relaxed);
        next_refresh_ns = s.spec.tcp ? UINT64_MAX : now + udp_template_refresh_ns;
      } else {
        on_failure(now);
      }
    }
    std::size_t got = 0;
    if (link.is_open()) {
      // Before the records, so a collector that restarted has the templates when they come.
      if (now >= next_refresh_ns) {
        link.refresh_templates(sent, lost);
        next_refresh_ns = now + udp_template_refresh_ns;
      }
      got = link.is_open() ? s.queue.pop_some({batch.data(), batch.size()}) : 0;
      if (got) {
        s.taken.fetch_add(got, std::memory_order_relaxed);
        s.room.notify();
        link.append(batch.data(), got, sent, lost);
      }
      // The queue ran dry: send what the message holds rather than wait for it to fill.
      if (link.is_open() && s.queue.empty()) link.flush(sent, lost);
      if (link.is_open() && link.delivered_since_open() && retry_delay_ns != first_retry_ns) {
        retry_delay_ns = first_retry_ns;  // a session that works resets the backoff
      }
      if (!link.is_open()) on_failure(now);
      else if (link.delivered_since_open() && !s.connected.load(std::memory_order_relaxed))
        s.connected.store(true, std::memory_order_relaxed);
      settle();
    }
    if (finishing && (s.queue.empty() || !link.is_open())) break;
    if (got == 0) s.work.wait([&s] { return !s.queue.empty() || s.finishing.load(std::memory_order_acquire); },
                              idle_sleep_ms);
  }
  // What the collector never got: queued records, counted once.
  uint64_t left = 0;
  while (std::size_t n = s.queue.pop_some({batch.data(), batch.size()})) left += n;
  s.taken.fetch_add(left, std::memory_order_relaxed);
  lost += left;
  settle();
  link.close();
  s.ended.store(true, std::memory_order_release);
  s.room.notify();
}

}  // namespace ringtrack::ipfix
