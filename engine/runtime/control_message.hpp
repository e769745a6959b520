// Owns: what the session's thread asks of a shard's driver, out of band (an interim report
// on the wall clock, a view query), and its queue type.
// Does not own: answering (shard_driver) or the asking policy (session).
#pragma once

#include <cstdint>

#include "flow/view_query.hpp"
#include "runtime/spsc_link.hpp"

namespace ringtrack::runtime {

struct ControlMessage {
  enum class Kind : uint8_t {
    report,  ///< interim report of every tracked connection as of as_of_ns
    view,    ///< the rows query asks for; answered with view rows and a view end
  };
  Kind kind = Kind::report;
  uint64_t as_of_ns = 0;
  /// view: owned by the session, kept until the driver cannot read it any more. The
  /// queue's release/acquire hand-off makes the query's contents visible to the driver.
  const flow::ViewQuery* query = nullptr;
  uint64_t query_id = 0;
  /// view: first move the shard's clock to as_of_ns (a live screen asks on the wall clock,
  /// and idle connections must age to it; a replay's clock moves with its own markers).
  bool advance_clock = false;
};

// A handful in flight at most: the session waits for each report before the next.
using ControlLink = SpscLink<ControlMessage, 16>;

}  // namespace ringtrack::runtime
