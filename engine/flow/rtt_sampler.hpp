// Owns: passive round-trip-time sampling (pping's and epping's method): a TSval echoed as
// TSecr by the other side, or without timestamps a segment's end acknowledged (Karn's rule).
// Does not own: where outstanding samples wait (endpoint_book) or the results' home (tcp_health).
#pragma once

#include <cstdint>

#include "decode/packet_record.hpp"
#include "flow/endpoint_book.hpp"
#include "flow/tcp_health.hpp"

namespace ringtrack::flow {

/// packet, sent by endpoint `sender`, may answer the other endpoint's sample (a sample of
/// the path from the capture point to `sender` and back) and may start one of its own.
/// srtt: the connection's smoothed RTTs (Connection::srtt); fwd: the sender's entry; rev:
/// the other endpoint's, null where the book lost it. kind: what note_segment made of the
/// packet.
void sample_rtt(TcpHealth& h, uint16_t (&srtt)[2], EndpointEntry& fwd, EndpointEntry* rev, unsigned sender,
                const decode::PacketRecord& packet, SegmentKind kind) noexcept;

/// Adds one sample of the path to endpoint `end` and back.
void add_rtt_sample(TcpHealth& h, uint16_t (&srtt)[2], unsigned end, uint32_t rtt_us) noexcept;

}  // namespace ringtrack::flow
