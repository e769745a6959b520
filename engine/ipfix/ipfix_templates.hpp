// Owns: the IPFIX templates ringtrack exports (standard information elements only, RFC
// 5103's reverse elements for biflows) and adding them to a libfixbuf session.
// Does not own: the record's memory layout (flow_record) or the transport (collector_link).
#pragma once

#include <cstdint>
#include <string>

#include "ipfix/flow_record.hpp"

struct fbSession_st;
struct fbInfoModel_st;

namespace ringtrack::ipfix {

/// One record per connection (RFC 5103 biflow), or two (client to server, then server to
/// client) for collectors that ignore reverse elements.
enum class RecordShape : uint8_t { biflow, uniflow };

/// Template ids on the wire (external) and in memory (internal: FlowRecord's layout).
namespace template_id {
inline constexpr uint16_t biflow_ipv4 = 256;
inline constexpr uint16_t biflow_ipv6 = 257;
inline constexpr uint16_t uniflow_ipv4 = 258;
inline constexpr uint16_t uniflow_ipv6 = 259;
inline constexpr uint16_t internal_record = 1024;
}  // namespace template_id

inline uint16_t export_template_of(const FlowRecord& r, RecordShape shape) noexcept {
  if (shape == RecordShape::biflow) return r.ipv6 ? template_id::biflow_ipv6 : template_id::biflow_ipv4;
  return r.ipv6 ? template_id::uniflow_ipv6 : template_id::uniflow_ipv4;
}

/// Adds the internal template and shape's two external ones (IPv4, IPv6) to session, in
/// its current observation domain. Returns "" or libfixbuf's reason.
std::string add_templates(fbSession_st* session, fbInfoModel_st* model, RecordShape shape);

}  // namespace ringtrack::ipfix
