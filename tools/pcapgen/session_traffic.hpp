// Owns: the TCP operations a session performs and their effect on seq/ack, flags, options, IP IDs.
// Does not own: when operations happen (script_book, interleaver, scenarios) or byte layout (frame_builder).
//
// Each operation becomes one frame, or one frame per fragment, handed to the packet_sink.
#pragma once

#include <cstdint>

#include "frame_builder.hpp"
#include "frames/link_layer.hpp"
#include "packet_sink.hpp"
#include "tcp_session.hpp"
#include "tunnel_wrap.hpp"

namespace ringtrack::pcapgen {

enum class TcpOp : uint8_t {
  syn,                       // client SYN at the ISN; sending it again is a retransmission
  syn_ack,                   // server SYN|ACK
  ack,                       // pure ACK of everything the peer sent
  ack_short,                 // ACK payload_bytes short of the peer's next seq (a bad FIN ack)
  data,                      // PSH|ACK with payload_bytes
  fin,                       // FIN|ACK, carrying payload_bytes of data when non-zero
  fin_crossing,              // FIN|ACK sent before the peer's FIN arrived (simultaneous close)
  fin_ack_short,             // FIN|ACK without data whose ack is payload_bytes short
  rst,                       // RST|ACK at snd_nxt
  rst_bare,                  // RST without ACK
  rst_refuse,                // RST|ACK with seq 0 answering a SYN: port closed
  data_fragmented,           // data cut into `fragments` IP fragments, sent in order
  data_fragmented_reversed,  // the same, last fragment first
  data_atomic_fragment,      // IPv6: whole segment behind a Fragment header (offset 0, M=0)
};

struct TrafficContext {
  FrameBuilder& builder;
  PacketSink& sink;
  frames::LinkType link;
  TunnelWrapper& tunnels;
  /// pcapng's interface 1: its own link type, builder and wrapper, the same sink. Null with
  /// one interface (then every session stays on interface 0).
  TrafficContext* second_interface = nullptr;
};

/// Largest payload that fits a 1500-byte MTU with the timestamp option (1448 / 1428).
uint32_t mss_payload_bytes(bool ipv6) noexcept;

void send_segment(TrafficContext& traffic, TcpSession& session, TcpOp op, Direction from, uint32_t payload_bytes = 0,
                  uint32_t fragments = 0);

}  // namespace ringtrack::pcapgen
