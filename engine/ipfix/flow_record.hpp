// Owns: one exported IPFIX record as values, laid out as libfixbuf's internal template
// reads it (ipfix_templates), and the flowEndReason codes.
// Does not own: turning a connection into it (record_builder) or encoding (libfixbuf).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringtrack::ipfix {

/// flowEndReason (IANA IE 136).
enum class FlowEndReason : uint8_t {
  idle_timeout = 1,
  active_timeout = 2,
  end_of_flow = 3,       ///< FINs acknowledged both ways, or an RST
  forced_end = 4,        ///< the capture stopped or its file ended with the connection open
  lack_of_resources = 5, ///< evicted from a full table
};

/// The internal template is this struct's layout, field by field, with no gaps: 8-byte
/// fields first, then the addresses, then the narrower ones, so every field sits at its
/// natural alignment (offsets in comments, pinned below). Source is the client in a
/// biflow; in a uniflow pair the second record has the server as source. IPv4 addresses
/// are host-order integers (libfixbuf converts them); IPv6 ones network-order bytes.
struct FlowRecord {
  uint64_t start_ms;                ///<   0 flowStartMilliseconds
  uint64_t end_ms;                  ///<   8 flowEndMilliseconds
  uint64_t octets;                  ///<  16 octetDeltaCount: IP bytes (header and payload)
  uint64_t packets;                 ///<  24 packetDeltaCount
  uint64_t reverse_octets;          ///<  32 reverseOctetDeltaCount (RFC 5103)
  uint64_t reverse_packets;         ///<  40 reversePacketDeltaCount
  uint64_t layer2_segment_id;       ///<  48 layer2SegmentId: VXLAN's 0x01 << 56 | VNI, else 0
  uint8_t source_ipv6[16];          ///<  56 sourceIPv6Address
  uint8_t destination_ipv6[16];     ///<  72 destinationIPv6Address
  uint32_t source_ipv4;             ///<  88 sourceIPv4Address
  uint32_t destination_ipv4;        ///<  92 destinationIPv4Address
  uint16_t source_port;             ///<  96 sourceTransportPort
  uint16_t destination_port;        ///<  98 destinationTransportPort
  uint16_t vlan_id;                 ///< 100 vlanId: the outermost tag
  uint16_t dot1q_vlan_id;           ///< 102 dot1qVlanId: the outermost tag
  uint16_t dot1q_customer_vlan_id;  ///< 104 dot1qCustomerVlanId: the second tag (QinQ's C-VID)
  uint16_t tcp_flags;               ///< 106 tcpControlBits
  uint16_t reverse_tcp_flags;       ///< 108 reverseTcpControlBits
  uint8_t protocol;                 ///< 110 protocolIdentifier (6)
  uint8_t end_reason;               ///< 111 flowEndReason
  // Not in the template: which external template the record goes out under.
  bool ipv6;                        ///< 112
};

/// The part of FlowRecord libfixbuf reads (its internal template's length).
inline constexpr std::size_t flow_record_template_bytes = 112;
static_assert(offsetof(FlowRecord, source_ipv6) == 56 && offsetof(FlowRecord, source_ipv4) == 88 &&
                  offsetof(FlowRecord, source_port) == 96 && offsetof(FlowRecord, protocol) == 110,
              "the internal template lists the fields in this order with no gaps");
static_assert(offsetof(FlowRecord, ipv6) == flow_record_template_bytes);
static_assert(sizeof(FlowRecord) == 120, "a queue of 32768 records is 3.75 MiB");

}  // namespace ringtrack::ipfix
