// Owns: what the session's thread asks of a shard's owner (live reader or file shard
// thread), and its queue type.
// Does not own: answering (live_reader, shard_worker) or the asking policy (sessions).
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
  /// view: owned by the session, unchanged until every shard answered. The queue's
  /// release/acquire hand-off makes the query's contents visible to the shard.
  const flow::ViewQuery* query = nullptr;
  uint64_t query_id = 0;
};

// A handful in flight at most: the session waits for each report before the next.
using ControlLink = SpscLink<ControlMessage, 16>;

}  // namespace ringtrack::runtime
