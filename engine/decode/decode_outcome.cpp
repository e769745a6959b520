// Owns: names of decode outcomes (summary and --verbose output).
// Does not own: the outcomes' meaning (decode_outcome.hpp).
#include "decode/decode_outcome.hpp"

namespace ringtrack::decode {

const char* decode_outcome_name(DecodeOutcome o) noexcept {
  switch (o) {
    case DecodeOutcome::tcp: return "tcp";
    case DecodeOutcome::not_ip: return "not_ip";
    case DecodeOutcome::not_tcp: return "not_tcp";
    case DecodeOutcome::fragment_tail: return "fragment_tail";
    case DecodeOutcome::truncated_link: return "truncated_link";
    case DecodeOutcome::vlan_too_deep: return "vlan_too_deep";
    case DecodeOutcome::truncated_ip: return "truncated_ip";
    case DecodeOutcome::bad_ip_version: return "bad_ip_version";
    case DecodeOutcome::bad_ip_header_length: return "bad_ip_header_length";
    case DecodeOutcome::bad_extension_chain: return "bad_extension_chain";
    case DecodeOutcome::truncated_tcp: return "truncated_tcp";
    case DecodeOutcome::bad_tcp_header_length: return "bad_tcp_header_length";
    case DecodeOutcome::unsupported_link: return "unsupported_link";
    case DecodeOutcome::truncated_tunnel: return "truncated_tunnel";
    case DecodeOutcome::bad_tunnel_header: return "bad_tunnel_header";
    case DecodeOutcome::tunnel_too_deep: return "tunnel_too_deep";
    case DecodeOutcome::count_: break;
  }
  return "unknown";
}

}  // namespace ringtrack::decode
