// Owns: the --expect NDJSON format: one line per listed connection, then one summary line.
// Does not own: what the numbers are (connection_ledger, packet_sink).
//
// Connection line (fields always in this order):
//   {"client_ip":"10.0.0.1","client_port":40000,"server_ip":"192.0.2.1","server_port":80,
//    "vlan":[100],"state":"CLOSED","c2s_packets":5,"s2c_packets":4,"c2s_bytes":400,
//    "s2c_bytes":380,"c2s_payload":100,"s2c_payload":1000,
//    "first_ts":1700000000.000000000,"last_ts":1700000000.005000000}
// Lines appear in the order connections saw their last frame (an unfinished connection at the
// end of the file: in session order after all others). Match lines by (vlan, 4-tuple,
// first_ts), not by position. Summary line, always last:
//   {"type":"expect_summary","frames":N,"untracked_fragments":N,"undecodable":N,
//    "tcp_packets":N,"connections":N}
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tcp_session.hpp"

namespace ringtrack::pcapgen {

struct ExpectSummary {
  uint64_t frames = 0;               // records in the pcap file
  uint64_t untracked_fragments = 0;  // IP fragments with a non-zero offset (any protocol)
  uint64_t undecodable = 0;          // malformed, or the capture ends before the TCP header does
  uint64_t tcp_packets = 0;          // frames counted by a listed connection
  uint64_t connections = 0;          // connection lines
};

class ExpectWriter {
 public:
  /// Opens (truncates) path; throws std::runtime_error naming the failing call.
  explicit ExpectWriter(const std::string& path);
  ~ExpectWriter();
  ExpectWriter(const ExpectWriter&) = delete;
  ExpectWriter& operator=(const ExpectWriter&) = delete;

  void write_connection(const TcpSession& session);
  void write_summary(const ExpectSummary& summary);

  /// Flushes and closes; throws if any write failed.
  void finish();

 private:
  void make_room();
  void append(std::string_view text);
  void append_number(uint64_t value);
  void append_ts(uint64_t ts_ns);
  void append_ip(const frames::IpAddress& address);

  static constexpr std::size_t buffer_bytes = 1U << 20;
  static constexpr std::size_t max_line_bytes = 1024;  // 2 addresses + 4 tags + 12 numbers

  std::string _path;
  std::FILE* _file = nullptr;
  std::vector<char> _buffer;
  std::size_t _used_bytes = 0;
};

}  // namespace ringtrack::pcapgen
