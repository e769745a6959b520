// Owns: answering a ViewQuery from one shard's table: filter, bounded top-K selection in
// the requested order, or lookup of a paused screen's connections.
// Does not own: the query's transport or the merge of shards (runtime).
#pragma once

#include <vector>

#include "flow/flow_shard.hpp"
#include "flow/rows_memo.hpp"
#include "flow/view_query.hpp"

namespace ringtrack::flow {

/// True when v passes every term of filter.
bool filter_matches(const DisplayFilter& filter, const ConnView& v);

/// Fills rows with this shard's best query.offset + query.limit rows in query order (or,
/// with query.keys, the listed connections it holds) and returns its totals (over every
/// matching connection, with or without keys). Touches each
/// record once; keeps at most offset + limit views. Shard owner thread only.
ViewTotals select_rows(const FlowShard& shard, const ViewQuery& query, std::vector<ConnView>& rows);
/// select_rows, for a shard owner that asks the same query frame after frame: in the order
/// by bytes (RowsMemo::serves) the rows kept last time, in memo, spare reading the counters
/// of records with no packet since; memo then holds this answer's. Same rows and totals.
ViewTotals select_rows(FlowShard& shard, const ViewQuery& query, std::vector<ConnView>& rows, RowsMemo& memo);

}  // namespace ringtrack::flow
