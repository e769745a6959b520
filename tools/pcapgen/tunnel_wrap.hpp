// Owns: putting a built TCP frame inside a session's tunnels: the outer link header (with
// the session's VLAN tags), each tunnel's IP header, UDP or GRE and tunnel header, and an
// inner Ethernet header where the tunnel carries Ethernet.
// Does not own: the inner frame (frame_builder) or header bytes (tools/frames).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "frame_builder.hpp"
#include "frames/link_layer.hpp"
#include "connection_ledger.hpp"
#include "tunnel_path.hpp"

namespace ringtrack::pcapgen {

class TunnelWrapper {
 public:
  explicit TunnelWrapper(frames::LinkWriter link) noexcept : _link(link) {}

  /// inner: a frame built with this link type and no tags; its link header is replaced by
  /// outer_link (the session's tags) and path's headers. Direction picks each tunnel's
  /// source side and GTP-U TEID. The result's spans point into this wrapper and inner's tail.
  BuiltFrame wrap(const BuiltFrame& inner, bool inner_ipv6, frames::LinkHeaderSpec outer_link, const TunnelPath& path,
                  Direction from) noexcept;

 private:
  frames::LinkWriter _link;
  std::array<uint8_t, 1024> _head{};
};

}  // namespace ringtrack::pcapgen
