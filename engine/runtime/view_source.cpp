// Owns: merging shard answers into one window of rows.
// Does not own: asking the shards.
#include "runtime/view_source.hpp"

#include <algorithm>

namespace ringtrack::runtime {

void merge_view_rows(std::vector<flow::ConnView>& rows, const flow::ViewQuery& query) {
  if (!query.keys.empty()) {
    // Frozen rows: the order the screen froze them in; each key is held by one shard (a
    // reused 4-tuple's connections told apart by their first packets).
    std::vector<flow::ConnView> ordered;
    for (std::size_t k = 0; k < query.keys.size(); ++k)
      for (const flow::ConnView& v : rows) {
        const decode::FlowKey& key = query.keys[k];
        if (flow::key_of(v, key.meta()) == key &&
            (k >= query.first_ts_ns.size() || v.first_ts_ns == query.first_ts_ns[k])) {
          ordered.push_back(v);
          break;
        }
      }
    rows.swap(ordered);
    return;
  }
  std::sort(rows.begin(), rows.end(),
            [&query](const flow::ConnView& a, const flow::ConnView& b) { return flow::view_before(a, b, query); });
  const std::size_t first = std::min<std::size_t>(query.offset, rows.size());
  const std::size_t last = std::min<std::size_t>(first + query.limit, rows.size());
  rows.erase(rows.begin() + std::ptrdiff_t(last), rows.end());
  rows.erase(rows.begin(), rows.begin() + std::ptrdiff_t(first));
}

}  // namespace ringtrack::runtime
