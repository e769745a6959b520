// Owns: compiling the user's filter for a live interface on an activated libpcap handle,
// so `vlan N`, `inbound` and friends see the kernel's stripped VLAN tags (a dead handle
// would test the tag inline and never match). Also tells the interface's link type.
// Does not own: attaching the program (capture/rx_ring).
#pragma once

#include <cstdint>
#include <string>

#include "capture/bpf_filter.hpp"
#include "decode/link_type.hpp"

namespace ringtrack::capture {

struct LiveFilter {
  BpfFilter program;             ///< returns snap_bytes for a match, 0 otherwise
  decode::LinkType link_type{};  ///< the framing the interface's ring delivers
};

/// Opens a short-lived libpcap capture on interface, compiles expression (empty: match all)
/// with snap_bytes as the kept length, closes the handle. Throws SetupError naming the
/// problem: permission (CAP_NET_RAW), no such interface, rejected expression, link type.
LiveFilter compile_live_filter(const std::string& interface, const std::string& expression,
                               uint32_t snap_bytes);

}  // namespace ringtrack::capture
