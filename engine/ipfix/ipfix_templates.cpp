// Owns: the template specs and their registration with libfixbuf.
// Does not own: sessions or buffers (collector_link).
#include "ipfix/ipfix_templates.hpp"

#include <fixbuf/public.h>

#include <algorithm>
#include <iterator>
#include <string_view>

namespace ringtrack::ipfix {
namespace {

// fbTemplateAppendSpecArray keeps an element when its flags are a subset of the flags
// asked for: elements with 0 are in every template.
constexpr uint32_t in_ipv4 = 0x1;
constexpr uint32_t in_ipv6 = 0x2;
constexpr uint32_t in_biflow = 0x4;
constexpr uint32_t in_internal = in_ipv4 | in_ipv6 | in_biflow;

// FlowRecord's fields in order; the lengths are theirs (the static_asserts in
// flow_record.hpp pin the offsets this order implies).
fbInfoElementSpec_t record_spec[] = {
    {const_cast<char*>("flowStartMilliseconds"), 8, 0},
    {const_cast<char*>("flowEndMilliseconds"), 8, 0},
    {const_cast<char*>("octetDeltaCount"), 8, 0},
    {const_cast<char*>("packetDeltaCount"), 8, 0},
    {const_cast<char*>("reverseOctetDeltaCount"), 8, in_biflow},
    {const_cast<char*>("reversePacketDeltaCount"), 8, in_biflow},
    {const_cast<char*>("layer2SegmentId"), 8, 0},
    {const_cast<char*>("sourceIPv6Address"), 16, in_ipv6},
    {const_cast<char*>("destinationIPv6Address"), 16, in_ipv6},
    {const_cast<char*>("sourceIPv4Address"), 4, in_ipv4},
    {const_cast<char*>("destinationIPv4Address"), 4, in_ipv4},
    {const_cast<char*>("sourceTransportPort"), 2, 0},
    {const_cast<char*>("destinationTransportPort"), 2, 0},
    {const_cast<char*>("vlanId"), 2, 0},
    {const_cast<char*>("dot1qVlanId"), 2, 0},
    {const_cast<char*>("dot1qCustomerVlanId"), 2, 0},
    {const_cast<char*>("tcpControlBits"), 2, 0},
    {const_cast<char*>("reverseTcpControlBits"), 2, in_biflow},
    {const_cast<char*>("protocolIdentifier"), 1, 0},
    {const_cast<char*>("flowEndReason"), 1, 0},
    FB_IESPEC_NULL,
};

// tcpControlBits goes out in one byte (RFC 7011's reduced-size encoding): the bits a row
// can tell are all in the low byte, and pmacct reads the element only in that size.
constexpr uint16_t tcp_flags_wire_bytes = 1;

std::string add_one(fbSession_t* session, fbInfoModel_t* model, bool internal, uint16_t id, uint32_t flags) {
  GError* error = nullptr;
  fbInfoElementSpec_t spec[std::size(record_spec)];
  std::copy(std::begin(record_spec), std::end(record_spec), spec);
  if (!internal)
    for (fbInfoElementSpec_t& element : spec)
      if (element.name && (std::string_view(element.name) == "tcpControlBits" ||
                           std::string_view(element.name) == "reverseTcpControlBits"))
        element.len_override = tcp_flags_wire_bytes;
  fbTemplate_t* tmpl = fbTemplateAlloc(model);
  if (!fbTemplateAppendSpecArray(tmpl, spec, flags, &error) ||
      fbSessionAddTemplate(session, internal ? TRUE : FALSE, id, tmpl, &error) == 0) {
    std::string reason = error ? error->message : "unknown error";
    if (error) g_clear_error(&error);
    fbTemplateFreeUnused(tmpl);
    return "IPFIX template " + std::to_string(id) + ": " + reason;
  }
  return "";
}

}  // namespace

std::string add_templates(fbSession_st* session, fbInfoModel_st* model, RecordShape shape) {
  const uint32_t shape_bits = shape == RecordShape::biflow ? in_biflow : 0;
  const uint16_t v4 = shape == RecordShape::biflow ? template_id::biflow_ipv4 : template_id::uniflow_ipv4;
  const uint16_t v6 = shape == RecordShape::biflow ? template_id::biflow_ipv6 : template_id::uniflow_ipv6;
  std::string problem = add_one(session, model, true, template_id::internal_record, in_internal);
  if (problem.empty()) problem = add_one(session, model, false, v4, in_ipv4 | shape_bits);
  if (problem.empty()) problem = add_one(session, model, false, v6, in_ipv6 | shape_bits);
  return problem;
}

}  // namespace ringtrack::ipfix
