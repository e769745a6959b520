// Owns: what the aggregator's thread asks of a live reader, and its queue type.
// Does not own: answering (live_reader) or the asking policy (live_session).
#pragma once

#include <cstdint>

#include "runtime/spsc_link.hpp"

namespace ringtrack::runtime {

struct ControlMessage {
  enum class Kind : uint8_t {
    report,  ///< interim report of every tracked connection as of as_of_ns
  };
  Kind kind = Kind::report;
  uint64_t as_of_ns = 0;
};

// A handful in flight at most: the session waits for each report before the next.
using ControlLink = SpscLink<ControlMessage, 16>;

}  // namespace ringtrack::runtime
