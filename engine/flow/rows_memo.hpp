// Owns: what a shard's last frame in the order by bytes kept, for the next frame of the same
// query. Does not own: the scan that reads and refills it (shard_view) or the bound on which
// records changed since (FlowShard::take_changed_from).
#pragma once

#include <cstdint>
#include <vector>

#include "decode/flow_key.hpp"
#include "flow/view_query.hpp"

namespace ringtrack::flow {

/// A record's wire bytes only grow, and only with its packets. So in the order by bytes,
/// largest first, the rows one frame kept rank at least as high in the next while they are
/// still shown and still pass the filter, and a record with no packet since, not among
/// them, cannot pass them: the next frame of the same query reads the counters line only of
/// the records with a packet since and of these (bench/README.md, the order by bytes).
struct RowsMemo {
  struct Row {
    uint32_t index;  ///< in the arena (a removal may move another record there: key and first_ts_ns tell)
    uint64_t first_ts_ns;
    decode::FlowKey key;
  };

  /// The query the rows answer, as far as which rows it keeps depends on it.
  bool held = false;
  bool hide_one_sided = false;
  std::size_t wanted = 0;  ///< offset + limit
  DisplayFilter filter;
  uint64_t as_of_ns = 0;   ///< the shard's answer time: shown records only hide as it grows
  std::vector<Row> rows;   ///< the kept rows, by index

  /// The orders a memo serves: by bytes, largest first, for the top rows (not a paused
  /// screen's listed connections).
  static bool serves(const ViewQuery& query) noexcept {
    return query.sort == SortKey::bytes && !query.reverse && query.keys.empty();
  }
  /// The rows answer query at answer time as_of (as far as the query goes: whether they are
  /// still shown and passing is the scan's to check).
  bool answers(const ViewQuery& query, uint64_t answer_ns) const {
    return held && hide_one_sided == query.hide_one_sided && wanted == std::size_t(query.offset) + query.limit &&
           answer_ns >= as_of_ns && filter == query.filter;
  }
};

}  // namespace ringtrack::flow
