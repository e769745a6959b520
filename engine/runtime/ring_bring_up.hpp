// Owns: the start-up hand-offs between a live session and its reader threads: pin, make
// rings in order, filters and privilege drop by the session, then let the readers go.
// Does not own: the ring's own steps (capture/rx_ring), the reader loop (ring_reader).
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <latch>
#include <vector>

#include "capture/rx_ring.hpp"
#include "runtime/ring_reader.hpp"

namespace ringtrack::runtime {

/// Why one reader at a time, in order: when the interface goes down the kernel takes every
/// socket out of the group, and when it comes up puts them back in the order the sockets
/// were made; made in join order, the group is the same and each connection stays with its
/// reader. Every socket drops everything (a drop-all filter) until all have joined: only
/// then do the real filters go in, so no packet is seen before the complete group routes it.
class RingBringUp {
 public:
  explicit RingBringUp(uint32_t readers);

  /// Reader thread `reader.index`: pins, makes its ring in turn, waits to be let go, gives
  /// up its capabilities. True when it should now capture; false when the session aborted
  /// or this reader failed (the error is kept for the session; a failure after the
  /// readers were let go also sets stop, so the others end too).
  bool run_reader_steps(RingReaderParts& reader, const RingReaderParts& first, const capture::RingConfig& ring,
                        std::atomic<bool>& stop);

  /// Session: waits until every reader has had its turn; rethrows the first error.
  void wait_for_rings();
  /// Session: lets the readers capture (true) or end (false, after a failure).
  void release(bool capture);
  /// Session: waits until every reader let go has given up its capabilities.
  void wait_unprivileged() { _unprivileged.wait(); }

 private:
  std::atomic<uint32_t> _turn{0};  // the reader whose turn it is to make its ring
  std::vector<std::exception_ptr> _errors;
  std::latch _rings_made;
  std::latch _unprivileged;
  std::atomic<int> _go{0};  // 0: wait, 1: capture, -1: end
};

}  // namespace ringtrack::runtime
