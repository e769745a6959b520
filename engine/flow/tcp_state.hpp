// Owns: tcptrack's connection states, their names, and the per-packet state transition.
// Does not own: where connections live (flow_table) or when they are removed (expiry_policy).
#pragma once

#include <cstdint>

#include "decode/packet_record.hpp"

namespace ringtrack::flow {

/// tcptrack's six states, in its names (TCPConnection.cc of tcptrack 1.4.3).
enum class TcpState : uint8_t {
  syn_sent,      ///< "SYN_SENT": SYN without ACK seen
  syn_ack_ack,   ///< "SYN|ACK-ACK": SYN+ACK seen, waiting for the client's ACK
  established,   ///< "ESTABLISHED": also where mid-stream pickups start
  closing,       ///< "CLOSING": a FIN seen, waiting for both FINs to be acknowledged
  closed,        ///< "CLOSED": both FINs acknowledged
  reset,         ///< "RESET": an RST seen, in any state
};

inline constexpr unsigned tcp_state_count = 6;

const char* tcp_state_name(TcpState s) noexcept;

/// Per-connection bits the state machine keeps beside the state (Connection::flags).
namespace conn_flag {
inline constexpr uint8_t client_is_b = 0x01;   ///< the client is endpoint b of the key
inline constexpr uint8_t fin_from_a = 0x02;    ///< endpoint a sent a FIN
inline constexpr uint8_t fin_from_b = 0x04;
inline constexpr uint8_t fin_a_acked = 0x08;   ///< b acknowledged a's FIN
inline constexpr uint8_t fin_b_acked = 0x10;
inline constexpr uint8_t midstream = 0x20;     ///< picked up without its handshake
/// The RST came during the handshake (SYN_SENT, SYN|ACK-ACK): the attempt may go on with
/// its SYN retransmitted (RFC 5961's challenge ACK answered by the client's RST).
inline constexpr uint8_t reset_in_handshake = 0x40;
/// Both endpoints have sent a packet: ConnectionCounters::seen(0) && seen(1), kept on the
/// Connection line so a scan tells one-sided records apart without reading the counters.
inline constexpr uint8_t both_seen = 0x80;
}  // namespace conn_flag

/// seq_mark[i], one sequence number per endpoint i:
///  - until i sends a FIN: its initial sequence number (the seq of its SYN, or its first
///    seq - 1 when picked up mid-stream), which tells a retransmitted SYN from a new
///    connection on the same 4-tuple;
///  - once i sent a FIN: the ACK number that acknowledges it (seq + payload + 1).
///
/// Records endpoint `sender`'s first packet in seq_mark (call before apply_tcp_packet).
void note_first_packet(uint32_t (&seq_mark)[2], const decode::PacketRecord& packet) noexcept;

/// A SYN without ACK: the only packet that can start a new connection on a tracked
/// 4-tuple (inline: every packet of a tracked connection is asked).
inline bool is_bare_syn(const decode::PacketRecord& packet) noexcept {
  return (packet.tcp_flags & (decode::tcp_flag::syn | decode::tcp_flag::ack)) == decode::tcp_flag::syn;
}

/// What a bare SYN (is_bare_syn) on a tracked record is to that record.
enum class SynKind : uint8_t {
  belongs,             ///< a retransmission or a late copy: counted, state stepped as usual
  restarts_handshake,  ///< a retransmission after the attempt's own RST: back to SYN_SENT
  starts_new,          ///< a new connection on the record's 4-tuple
};

/// Wireshark's rule: a SYN with the initial sequence number its sender already used is a
/// retransmission of the same connection, in any state but CLOSED; one with another ISN,
/// any SYN after CLOSED, and any SYN after its sender's FIN start a new connection.
/// sender_seen: the sender has sent packets before. last_ts_ns: the connection's newest
/// packet; a SYN older than that arrived out of order (readers handing packets to each
/// other, files not in time order) and belongs here.
SynKind classify_bare_syn(TcpState state, uint8_t flags, const uint32_t (&seq_mark)[2], bool sender_seen,
                          uint64_t last_ts_ns, const decode::PacketRecord& packet) noexcept;

/// A RESET attempt whose SYN came again (SynKind::restarts_handshake) is half-open again:
/// clears its flag and returns its state (returned: Connection::state is a bit-field).
inline TcpState restart_handshake(uint8_t& flags) noexcept {
  flags = static_cast<uint8_t>(flags & ~conn_flag::reset_in_handshake);
  return TcpState::syn_sent;
}

/// True when apply_tcp_packet would change nothing: a packet without SYN, FIN or RST on an
/// established connection with no FIN outstanding (most packets; inline: every packet asks).
inline bool leaves_state_alone(TcpState state, uint8_t flags, const decode::PacketRecord& packet) noexcept {
  constexpr uint8_t state_flags = decode::tcp_flag::syn | decode::tcp_flag::fin | decode::tcp_flag::rst;
  constexpr uint8_t fin_bits = conn_flag::fin_from_a | conn_flag::fin_from_b;
  return state == TcpState::established && !(packet.tcp_flags & state_flags) && !(flags & fin_bits);
}

/// What one packet does to a connection's state. Endpoints are told apart by address and
/// port, so a connection with both ends on one host closes only when both FINs are
/// acknowledged (tcptrack compares addresses only and closes such connections early).
/// Returns true when the client's ACK completed the handshake (SYN|ACK-ACK -> ESTABLISHED).
bool apply_tcp_packet(TcpState& state, uint8_t& flags, uint32_t (&seq_mark)[2],
                      const decode::PacketRecord& packet) noexcept;

}  // namespace ringtrack::flow
