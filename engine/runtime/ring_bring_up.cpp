// Owns: the bring-up steps of one reader thread and the session's waits on them.
// Does not own: what the session does between them (live_capture).
#include "runtime/ring_bring_up.hpp"

#include <optional>

#include "os/cpu_set.hpp"
#include "os/privileges.hpp"
#include "os/setup_error.hpp"

namespace ringtrack::runtime {

RingBringUp::RingBringUp(uint32_t readers) : _errors(readers), _rings_made(readers), _unprivileged(readers) {}

bool RingBringUp::run_reader_steps(RingReaderParts& reader, const RingReaderParts& first,
                                   const capture::RingConfig& ring, std::atomic<bool>& stop) {
  const uint32_t i = reader.index;
  try {
    // Pinned first, so the kernel allocates the ring near this CPU.
    if (reader.cpu >= 0) os::pin_current_thread(reader.cpu);
  } catch (...) {
    _errors[i] = std::current_exception();
  }
  for (uint32_t now = _turn.load(); now != i; now = _turn.load()) _turn.wait(now);
  if (!_errors[i]) {
    try {
      // Reader 0 had its turn: its ring, made or not, says which group to join.
      std::optional<uint16_t> group;
      if (i != 0) {
        if (!first.ring) throw SetupError("reader 0 failed");
        group = first.ring->fanout_id();
      }
      reader.ring = std::make_unique<capture::RxRing>(ring, group);
    } catch (...) {
      _errors[i] = std::current_exception();
    }
  }
  _turn.store(i + 1);
  _turn.notify_all();
  _rings_made.count_down();
  for (int go = _go.load(); go == 0; go = _go.load()) _go.wait(go);
  if (_errors[i] || _go.load() < 0) {
    _unprivileged.count_down();
    return false;
  }
  // This thread's own capabilities (they are per thread): its socket is all it needed them
  // for. Only now, as -Z's setuid on the session's thread needs every thread still able to
  // follow it. Emptying the sets cannot fail short of a kernel fault.
  try {
    os::drop_capabilities();
  } catch (...) {
    _errors[i] = std::current_exception();
    stop.store(true);
    _unprivileged.count_down();
    return false;
  }
  _unprivileged.count_down();
  return true;
}

void RingBringUp::wait_for_rings() {
  _rings_made.wait();
  for (const std::exception_ptr& e : _errors)
    if (e) std::rethrow_exception(e);
}

void RingBringUp::release(bool capture) {
  _go.store(capture ? 1 : -1);
  _go.notify_all();
}

}  // namespace ringtrack::runtime
