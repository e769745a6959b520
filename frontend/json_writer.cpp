// Owns: NDJSON encoding of rows and summaries.
// Does not own: number and address text (display_format).
#include "frontend/json_writer.hpp"

#include <charconv>

#include "frontend/display_format.hpp"

namespace ringtrack::frontend {
namespace {

void append_uint(std::string& s, uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, r.ptr);
}

void field(std::string& s, const char* name, uint64_t v) {
  s += ",\"";
  s += name;
  s += "\":";
  append_uint(s, v);
}

void field(std::string& s, const char* name, const std::string& text) {
  s += ",\"";
  s += name;
  s += "\":\"";
  s += text;  // our strings never need escaping: names, numbers, addresses
  s += '"';
}

void field_bool(std::string& s, const char* name, bool v) {
  s += ",\"";
  s += name;
  s += v ? "\":true" : "\":false";
}

void field_seconds(std::string& s, const char* name, uint64_t ns) {
  s += ",\"";
  s += name;
  s += "\":";
  s += format_unix_seconds(ns);
}

const char* record_name(runtime::RowKind kind) {
  return kind == runtime::RowKind::interim ? "interim" : "final";
}

const char* end_name(const flow::ConnView& view, runtime::RowKind kind) {
  switch (kind) {
    case runtime::RowKind::interim: return nullptr;
    case runtime::RowKind::final: return "input_ended";
    case runtime::RowKind::removed: return flow::end_reason_name(view.end);
  }
  return nullptr;
}

}  // namespace

void JsonWriter::row(const flow::ConnView& v, runtime::RowKind kind) {
  std::string& s = _out.buffer();
  s += "{\"type\":\"conn\",\"record\":\"";
  s += record_name(kind);
  s += '"';
  if (const char* end = end_name(v, kind)) field(s, "end", std::string(end));
  else s += ",\"end\":null";
  const bool ipv6 = v.ipv6();
  field(s, "client_ip", format_address(v.client_addr, ipv6));
  field(s, "client_port", v.client_port);
  field(s, "server_ip", format_address(v.server_addr, ipv6));
  field(s, "server_port", v.server_port);
  s += ",\"vlan\":[";
  for (unsigned i = 0; i < v.vlan_depth; ++i) {
    if (i) s += ',';
    append_uint(s, v.vlan_ids[i]);
  }
  s += ']';
  field(s, "state", std::string(flow::tcp_state_name(v.state)));
  field_bool(s, "midstream", v.flags & flow::view_flag::midstream);
  field_bool(s, "one_sided", v.flags & flow::view_flag::one_sided);
  field_seconds(s, "first_ts", v.first_ts_ns);
  field_seconds(s, "last_ts", v.last_ts_ns);
  field_seconds(s, "as_of", v.as_of_ns);
  field(s, "c2s_packets", v.packets[0]);
  field(s, "s2c_packets", v.packets[1]);
  field(s, "c2s_bytes", v.wire_bytes[0]);
  field(s, "s2c_bytes", v.wire_bytes[1]);
  field(s, "c2s_payload", v.payload_bytes[0]);
  field(s, "s2c_payload", v.payload_bytes[1]);
  field(s, "speed", v.speed_total());
  field(s, "c2s_speed", v.speed_bytes_per_s[0]);
  field(s, "s2c_speed", v.speed_bytes_per_s[1]);
  if (v.handshake_rtt_us != 0) field(s, "handshake_rtt_us", v.handshake_rtt_us);
  else s += ",\"handshake_rtt_us\":null";
  s += "}\n";
  _out.maybe_flush();
}

void JsonWriter::summary(const runtime::CaptureSummary& sum) {
  std::string& s = _out.buffer();
  s += "{\"type\":\"summary\",\"record\":\"";
  s += sum.final ? "final" : "interim";
  s += '"';
  field_seconds(s, "as_of", sum.as_of_ns);
  field(s, "frames_read", sum.frames_read);
  field(s, "filtered_out", sum.filtered_out);
  using decode::DecodeOutcome;
  field(s, "tcp_packets", sum.decode.of(DecodeOutcome::tcp));
  field(s, "undecodable", sum.decode.undecodable());
  field(s, "untracked_fragments", sum.decode.of(DecodeOutcome::fragment_tail));
  field(s, "not_ip", sum.decode.of(DecodeOutcome::not_ip));
  field(s, "not_tcp", sum.decode.of(DecodeOutcome::not_tcp));
  field(s, "untracked_tcp", sum.flows.untracked_packets);
  field(s, "connections", sum.flows.connections);
  field(s, "tracked", sum.flows.tracked);
  field(s, "expired", sum.flows.expired);
  field(s, "evictions", sum.flows.evictions);
  field(s, "reused", sum.flows.reused);
  field(s, "shards", sum.shards);
  s += ",\"undecodable_by_reason\":{";
  bool first = true;
  for (unsigned i = unsigned(DecodeOutcome::truncated_link); i < decode::decode_outcome_count; ++i) {
    if (!first) s += ',';
    first = false;
    s += '"';
    s += decode::decode_outcome_name(DecodeOutcome(i));
    s += "\":";
    append_uint(s, sum.decode.frames[i]);
  }
  s += '}';
  if (sum.live) {
    field(s, "loopback_copies", sum.loopback_copies);
    field(s, "handoff_drops", sum.handoff_drops);
    field(s, "kernel_packets", sum.kernel.packets);
    field(s, "kernel_drops", sum.kernel.drops);
    field(s, "kernel_freezes", sum.kernel.freezes);
    field(s, "reports_lost", sum.reports_lost);
    s += ",\"readers\":[";
    for (std::size_t i = 0; i < sum.kernel_per_reader.size(); ++i) {
      if (i) s += ',';
      s += "{\"kernel_packets\":";
      append_uint(s, sum.kernel_per_reader[i].packets);
      s += ",\"kernel_drops\":";
      append_uint(s, sum.kernel_per_reader[i].drops);
      s += ",\"kernel_freezes\":";
      append_uint(s, sum.kernel_per_reader[i].freezes);
      s += '}';
    }
    s += ']';
  }
  s += "}\n";
  _out.flush();
}

}  // namespace ringtrack::frontend
