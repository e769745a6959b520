// Owns: NDJSON encoding of rows and summaries.
// Does not own: number and address text for humans (display_format).
#include "frontend/batch/json_writer.hpp"

#include "decode/tunnel_identity.hpp"
#include "flow/address_text.hpp"
#include "frontend/batch/row_buffer.hpp"
#include "frontend/decimal_text.hpp"
#include "frontend/display_format.hpp"

namespace ringtrack::frontend {
namespace {

// JSON's fields on top of the row buffer.
class RowText : public RowBuffer {
 public:
  void seconds(uint64_t ns, JsonWriter::TimestampText& last) noexcept {
    if (!last.filled || ns != last.ns) {
      const uint64_t whole = ns / 1'000'000'000ull;
      if (!last.filled || whole != last.ns / 1'000'000'000ull)
        last.seconds_length = uint8_t(write_decimal(last.text, whole) - last.text);
      char* at = last.text + last.seconds_length;
      *at++ = '.';
      last.length = uint8_t(write_zero_padded(at, uint32_t(ns % 1'000'000'000ull), 9) - last.text);
      last.ns = ns;
      last.filled = true;
    }
    put_fixed(last.text, JsonWriter::TimestampText::capacity, last.length);
  }
  void address(const std::array<uint8_t, 16>& addr, bool ipv6) noexcept {
    put('"');
    write([&](char* at) { return flow::write_address(at, addr, ipv6); });
    put('"');
  }
  /// 0 means "no value" in a view (no handshake seen, no RTT sample).
  void number_or_null(uint64_t v) noexcept {
    if (v != 0) number(v);
    else literal("null");
  }
  void boolean(bool v) noexcept {
    if (v) literal("true");
    else literal("false");
  }
  /// name is the field's separator and key: `,"name":`.
  template <std::size_t N>
  void number_field(const char (&name)[N], uint64_t v) noexcept {
    literal(name);
    number(v);
  }
  /// A per-direction figure as `,"c2s_NAME":v[0],"s2c_NAME":v[1]`.
  template <class Count>
  void directions(const char* name, const Count (&v)[2]) noexcept {
    literal(",\"c2s_");
    text(name);
    literal("\":");
    number(v[0]);
    literal(",\"s2c_");
    text(name);
    literal("\":");
    number(v[1]);
  }
};

const char* end_name(const flow::ConnView& view, runtime::RowKind kind) {
  switch (kind) {
    case runtime::RowKind::interim:
    case runtime::RowKind::active_timeout:  // never given to a format (ReportFanout)
      return nullptr;
    case runtime::RowKind::final: return "input_ended";
    case runtime::RowKind::stopped: return "stopped";
    case runtime::RowKind::removed: return flow::end_reason_name(view.end);
  }
  return nullptr;
}

void summary_field(std::string& s, const char* name, uint64_t v) {
  s += ",\"";
  s += name;
  s += "\":";
  append_decimal(s, v);
}

}  // namespace

void JsonWriter::row(const flow::ConnView& v, runtime::RowKind kind) {
  RowText r;
  r.literal("{\"type\":\"conn\",\"record\":\"");
  r.text(kind == runtime::RowKind::interim ? "interim" : "final");
  r.literal("\",\"end\":");
  if (const char* end = end_name(v, kind)) {
    r.literal("\"");
    r.text(end);
    r.literal("\"");
  } else {
    r.literal("null");
  }
  const bool ipv6 = v.ipv6();
  r.literal(",\"client_ip\":");
  r.address(v.client_addr, ipv6);
  r.number_field(",\"client_port\":", v.client_port);
  r.literal(",\"server_ip\":");
  r.address(v.server_addr, ipv6);
  r.number_field(",\"server_port\":", v.server_port);
  r.literal(",\"vlan\":[");
  for (unsigned i = 0; i < v.vlan_depth; ++i) {
    if (i) r.literal(",");
    r.number(v.vlan_ids[i]);
  }
  r.literal("],\"tunnel\":");
  if (const decode::TunnelIdentity& t = v.tunnel; t.kind != decode::TunnelKind::none) {
    r.literal("{\"kind\":\"");
    r.text(decode::tunnel_kind_name(t.kind));
    r.literal("\",\"id\":\"");
    r.write([&](char* at) { return write_tunnel_id(at, t.id); });
    r.literal("\"");
    if (t.outer_family != 0) {  // the shard's tunnel book knew it
      r.literal(",\"outer\":[");
      r.address(t.outer_a, t.outer_family == 6);
      r.literal(",");
      r.address(t.outer_b, t.outer_family == 6);
      r.literal("]");
      if (const char* key = tunnel_key_name(t.key_kind)) {
        r.literal(",\"");
        r.text(key);
        r.literal("\":");
        if (t.key_kind != decode::TunnelKeyKind::teid) {
          r.number(t.key);
        } else {  // [toward outer[1], toward outer[0]], null where not seen
          for (unsigned d = 0; d < 2; ++d) {
            r.literal(d ? "," : "[");
            if (t.teid_seen & (1u << d)) r.number(t.teid[d]);
            else r.literal("null");
          }
          r.literal("]");
        }
      }
    }
    r.literal("}");
  } else {
    r.literal("null");
  }
  r.literal(",\"state\":\"");
  r.text(flow::tcp_state_name(v.state));
  r.literal("\",\"midstream\":");
  r.boolean(v.flags & flow::view_flag::midstream);
  r.literal(",\"one_sided\":");
  r.boolean(v.flags & flow::view_flag::one_sided);
  r.literal(",\"first_ts\":");
  r.seconds(v.first_ts_ns, _first_ts);
  r.literal(",\"last_ts\":");
  r.seconds(v.last_ts_ns, _last_ts);
  r.literal(",\"as_of\":");
  r.seconds(v.as_of_ns, _as_of);
  r.directions("packets", v.packets);
  r.directions("bytes", v.wire_bytes);
  r.directions("payload", v.payload_bytes);
  r.directions("tcp_flags", v.tcp_flags);
  r.number_field(",\"speed\":", v.speed_total());
  r.directions("speed", v.speed_bytes_per_s);
  r.literal(",\"speed_partial\":");
  r.boolean(v.flags & flow::view_flag::speed_partial);
  r.literal(",\"handshake_rtt_us\":");
  r.number_or_null(v.handshake_rtt_us);
  r.directions("ip_bytes", v.ip_bytes);
  r.directions("retrans", v.retrans);
  r.directions("retrans_bytes", v.retrans_bytes);
  r.directions("out_of_order", v.out_of_order);
  r.directions("zero_window", v.zero_window);
  r.literal(",\"rtt_client_us\":");
  r.number_or_null(v.rtt_us[0]);
  r.literal(",\"rtt_server_us\":");
  r.number_or_null(v.rtt_us[1]);
  r.literal(",\"rtt_min_us\":");
  r.number_or_null(v.rtt_min_us);
  r.number_field(",\"rtt_samples\":", v.rtt_samples);
  r.literal("}\n");
  r.append_to(_out.buffer());
  _out.maybe_flush();
}

void JsonWriter::summary(const runtime::CaptureSummary& sum) {
  std::string& s = _out.buffer();
  s += "{\"type\":\"summary\",\"record\":\"";
  s += sum.final ? "final" : "interim";
  s += "\",\"as_of\":";
  append_unix_seconds(s, sum.as_of_ns);
  using decode::DecodeOutcome;
  summary_field(s, "frames_read", sum.frames_read);
  summary_field(s, "bytes_read", sum.bytes_read);
  summary_field(s, "filtered_out", sum.filtered_out);
  summary_field(s, "tcp_packets", sum.decode.of(DecodeOutcome::tcp));
  summary_field(s, "undecodable", sum.decode.undecodable());
  summary_field(s, "untracked_fragments", sum.decode.of(DecodeOutcome::fragment_tail));
  summary_field(s, "not_ip", sum.decode.of(DecodeOutcome::not_ip));
  summary_field(s, "not_tcp", sum.decode.of(DecodeOutcome::not_tcp));
  summary_field(s, "untracked_tcp", sum.flows.untracked_packets);
  summary_field(s, "stray_tcp", sum.flows.stray_packets);
  summary_field(s, "connections", sum.flows.connections);
  summary_field(s, "tracked", sum.flows.tracked);
  summary_field(s, "expired", sum.flows.expired);
  summary_field(s, "evictions", sum.flows.evictions);
  summary_field(s, "refused", sum.flows.refused);
  summary_field(s, "reused", sum.flows.reused);
  summary_field(s, "retransmitted", sum.flows.retransmitted);
  summary_field(s, "shards", sum.shards);
  s += ",\"undecodable_by_reason\":{";
  for (unsigned i = unsigned(DecodeOutcome::truncated_link); i < decode::decode_outcome_count; ++i) {
    if (i != unsigned(DecodeOutcome::truncated_link)) s += ',';
    s += '"';
    s += decode::decode_outcome_name(DecodeOutcome(i));
    s += "\":";
    append_decimal(s, sum.decode.frames[i]);
  }
  s += '}';
  summary_field(s, "tunnelled_frames", sum.decode.tunnelled_frames());
  s += ",\"tunnelled_by_kind\":{";
  for (unsigned i = 1; i < decode::tunnel_kind_count; ++i) {
    if (i != 1) s += ',';
    s += '"';
    s += decode::tunnel_kind_name(decode::TunnelKind(i));
    s += "\":";
    append_decimal(s, sum.decode.tunnelled[i]);
  }
  s += '}';
  if (sum.live) {
    summary_field(s, "loopback_copies", sum.loopback_copies);
    summary_field(s, "handoff_drops", sum.handoff_drops);
    summary_field(s, "kernel_packets", sum.kernel.packets);
    summary_field(s, "kernel_drops", sum.kernel.drops);
    summary_field(s, "kernel_freezes", sum.kernel.freezes);
    summary_field(s, "reports_lost", sum.reports_lost);
    s += ",\"readers\":[";
    for (std::size_t i = 0; i < sum.per_reader.size(); ++i) {
      const runtime::ReaderCounters& reader = sum.per_reader[i];
      if (i) s += ',';
      s += "{\"frames_read\":";
      append_decimal(s, reader.frames_read);
      s += ",\"bytes_read\":";
      append_decimal(s, reader.bytes_read);
      s += ",\"kernel_packets\":";
      append_decimal(s, reader.kernel.packets);
      s += ",\"kernel_drops\":";
      append_decimal(s, reader.kernel.drops);
      s += ",\"kernel_freezes\":";
      append_decimal(s, reader.kernel.freezes);
      s += '}';
    }
    s += ']';
  }
  if (_export) {
    summary_field(s, "export_sent", _export->sent());
    summary_field(s, "export_dropped", _export->dropped());
    summary_field(s, "export_connects", _export->connect_count());
  }
  s += "}\n";
  _out.flush();
}

}  // namespace ringtrack::frontend
