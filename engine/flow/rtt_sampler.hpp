// Owns: passive round-trip-time sampling (pping's and epping's method): a TSval echoed as
// TSecr by the other side, or without timestamps a segment's end acknowledged (Karn's rule).
// Does not own: where outstanding samples wait (rtt_book) or the results' home (tcp_health).
#pragma once

#include <cstdint>

#include "decode/packet_record.hpp"
#include "flow/rtt_book.hpp"
#include "flow/tcp_health.hpp"

namespace ringtrack::flow {

/// packet, sent by endpoint `sender` of the connection with flow_hash, may answer the other
/// endpoint's sample (a sample of the path from the capture point to `sender` and back)
/// and may start one of its own. kind: what note_segment made of it.
void sample_rtt(TcpHealth& h, RttBook& book, uint64_t flow_hash, unsigned sender,
                const decode::PacketRecord& packet, SegmentKind kind) noexcept;

/// Adds one sample of the path to endpoint `end` and back.
void add_rtt_sample(TcpHealth& h, unsigned end, uint32_t rtt_us) noexcept;

}  // namespace ringtrack::flow
