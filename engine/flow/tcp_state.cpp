// Owns: tcptrack's state transitions, with its same-host bug fixed.
// Does not own: connection creation and reuse (flow_shard).
#include "flow/tcp_state.hpp"

#include "flow/serial_number.hpp"

namespace ringtrack::flow {

using decode::tcp_flag::ack;
using decode::tcp_flag::fin;
using decode::tcp_flag::rst;
using decode::tcp_flag::syn;

const char* tcp_state_name(TcpState s) noexcept {
  switch (s) {
    case TcpState::syn_sent: return "SYN_SENT";
    case TcpState::syn_ack_ack: return "SYN|ACK-ACK";
    case TcpState::established: return "ESTABLISHED";
    case TcpState::closing: return "CLOSING";
    case TcpState::closed: return "CLOSED";
    case TcpState::reset: return "RESET";
  }
  return "?";
}

void note_first_packet(uint32_t (&seq_mark)[2], const decode::PacketRecord& packet) noexcept {
  const unsigned sender = packet.from_a ? 0 : 1;
  seq_mark[sender] = (packet.tcp_flags & syn) ? packet.seq : packet.seq - 1;
}

SynKind classify_bare_syn(TcpState state, uint8_t flags, const uint32_t (&seq_mark)[2], bool sender_seen,
                          uint64_t last_ts_ns, const decode::PacketRecord& packet) noexcept {
  if (packet.ts_ns < last_ts_ns) return SynKind::belongs;
  if (state == TcpState::closed) return SynKind::starts_new;
  const unsigned sender = packet.from_a ? 0 : 1;
  const uint8_t fin_sent_bit = sender == 0 ? conn_flag::fin_from_a : conn_flag::fin_from_b;
  // After its FIN, seq_mark no longer holds the sender's ISN; a SYN then is a new start.
  if (flags & fin_sent_bit) return SynKind::starts_new;
  const bool same_isn = sender_seen && packet.seq == seq_mark[sender];
  if (state == TcpState::reset) {
    if (!same_isn) return SynKind::starts_new;
    return (flags & conn_flag::reset_in_handshake) ? SynKind::restarts_handshake : SynKind::belongs;
  }
  return sender_seen && !same_isn ? SynKind::starts_new : SynKind::belongs;
}

bool apply_tcp_packet(TcpState& state, uint8_t& flags, uint32_t (&seq_mark)[2],
                      const decode::PacketRecord& packet) noexcept {
  const uint8_t tcp = packet.tcp_flags;
  const unsigned sender = packet.from_a ? 0 : 1;
  const unsigned receiver = sender ^ 1;
  const uint8_t fin_sent_bit[2] = {conn_flag::fin_from_a, conn_flag::fin_from_b};
  const uint8_t fin_acked_bit[2] = {conn_flag::fin_a_acked, conn_flag::fin_b_acked};

  if (tcp & fin) {
    // The ACK that covers this FIN: it occupies one sequence number after the payload.
    const uint32_t fin_ack_mark = packet.seq + packet.payload_bytes + 1;
    // A FIN at or before the one already seen is a retransmission (the sender missed the
    // ACK, or the ACK is still in flight): an acknowledgement already given stands.
    // Only a FIN further on needs an acknowledgement of its own.
    const bool retransmitted = (flags & fin_sent_bit[sender]) && seq_at_or_after(seq_mark[sender], fin_ack_mark);
    if (!retransmitted) {
      seq_mark[sender] = fin_ack_mark;
      flags = static_cast<uint8_t>((flags | fin_sent_bit[sender]) & ~fin_acked_bit[sender]);
    }
  }
  // Acknowledgements of the other side's FIN count in every state, so a FIN acked before
  // the second FIN is sent is not forgotten.
  if ((tcp & ack) && (flags & fin_sent_bit[receiver]) &&
      seq_at_or_after(packet.ack, seq_mark[receiver])) {
    flags |= fin_acked_bit[receiver];
  }

  bool handshake_completed = false;
  const bool in_handshake = state == TcpState::syn_sent || state == TcpState::syn_ack_ack;
  switch (state) {
    case TcpState::syn_sent:
      if ((tcp & syn) && (tcp & ack)) state = TcpState::syn_ack_ack;
      break;
    case TcpState::syn_ack_ack:
      if (tcp & ack) {
        state = TcpState::established;  // on any ACK, as tcptrack does
        // The handshake's own end is the client's ACK; a retransmitted SYN+ACK is not.
        const bool from_client = (packet.from_a != 0) == !(flags & conn_flag::client_is_b);
        handshake_completed = from_client && !(tcp & syn);
      }
      break;
    case TcpState::established:
      if (tcp & fin) state = TcpState::closing;
      break;
    case TcpState::closing:
      if ((flags & conn_flag::fin_a_acked) && (flags & conn_flag::fin_b_acked))
        state = TcpState::closed;
      break;
    case TcpState::closed:
    case TcpState::reset:
      break;
  }
  // CLOSED is final: an RST after both FINs were acknowledged (data racing the close)
  // does not turn a clean close into a reset.
  if ((tcp & rst) && state != TcpState::closed) {
    if (in_handshake) flags |= conn_flag::reset_in_handshake;
    state = TcpState::reset;
  }
  return handshake_completed;
}

}  // namespace ringtrack::flow
