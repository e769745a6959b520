// Owns: a connection row as IPFIX record values: orientation (source = client), octets,
// TCP flags, end reason, VLANs and tunnel, the delta since the connection's last record,
// and the split of a biflow into two uniflow records.
// Does not own: which rows are exported when (ipfix_writer) or encoding (libfixbuf).
#pragma once

#include <cstdint>

#include "flow/conn_view.hpp"
#include "ipfix/flow_record.hpp"
#include "runtime/report_writer.hpp"

namespace ringtrack::ipfix {

/// What earlier records of one connection carried (all zero before its first).
struct ExportedSoFar {
  uint64_t packets[2] = {0, 0};  ///< [0] client to server
  uint64_t octets[2] = {0, 0};
  uint64_t last_ts_ns = 0;       ///< the newest packet the last record covered
};

/// Why the connection's record ends where it does. An interim row is an active timeout;
/// a removed row ends as its shard removed it; one still open when the capture stopped or
/// its file ended is a forced end, unless its FINs or an RST already ended it.
FlowEndReason end_reason_of(const flow::ConnView& view, runtime::RowKind kind) noexcept;

/// The record for view's packets since `before` (its whole life when before is zero).
FlowRecord make_biflow_record(const flow::ConnView& view, FlowEndReason reason, const ExportedSoFar& before) noexcept;

/// A biflow as two uniflow records: [0] client to server, [1] server to client, each with
/// its own direction's counters and flags as the forward ones (reverse fields zero).
void split_into_uniflows(const FlowRecord& biflow, FlowRecord (&out)[2]) noexcept;

/// The IP bytes of one direction: what octetDeltaCount counts.
uint64_t ip_octets(const flow::ConnView& view, unsigned direction) noexcept;

}  // namespace ringtrack::ipfix
