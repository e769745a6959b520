// Owns: what a screen asks of a running capture, live or a file replay: the rows for a
// query (sort, filter, window, or frozen rows) and a status line's counters.
// Does not own: drawing (frontend) or the session that answers (runtime/session).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flow/conn_view.hpp"
#include "flow/view_query.hpp"

namespace ringtrack::runtime {

struct SourceStatus {
  std::string source;           ///< interface name or file name
  std::string filter;           ///< the capture filter expression
  bool live = false;
  uint32_t readers = 0;         ///< readers (live) or shards (file)
  uint64_t clock_ns = 0;        ///< capture time now
  bool input_ended = false;     ///< a replay read its whole file
  bool interface_down = false;
  std::string problem;          ///< one line when capture cannot go on (interface gone)
  uint64_t tcp_packets = 0;     ///< TCP packets decoded so far
  uint64_t kernel_drops = 0;    ///< live: packets the rings had no room for
  uint64_t ring_bytes = 0;      ///< live: each reader's ring (the memory the help shows)
};

struct ViewResult {
  std::vector<flow::ConnView> rows;  ///< query.offset .. +limit in query order (or the keys')
  flow::ViewTotals totals;           ///< over every shard
  bool complete = false;             ///< every shard answered in time
};

/// Called on one thread (the screen's).
class ViewSource {
 public:
  virtual ~ViewSource() = default;
  virtual SourceStatus status() = 0;
  /// Sets query.as_of_ns to the capture clock, asks every shard, merges their answers.
  virtual ViewResult query(flow::ViewQuery& query) = 0;
};

/// Merges shards' rows (each in query order) into the window the query asked for.
void merge_view_rows(std::vector<flow::ConnView>& rows, const flow::ViewQuery& query);

}  // namespace ringtrack::runtime
