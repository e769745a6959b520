// Owns: formatting expectation lines without allocation and buffering them to disk.
// Does not own: deciding which connections are listed (packet_sink).
#include "expect_writer.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace ringtrack::pcapgen {
namespace {

std::string describe_errno(const char* call, const std::string& path) {
  return std::string(call) + "(" + path + ") failed: " + std::strerror(errno);
}

}  // namespace

ExpectWriter::ExpectWriter(const std::string& path) : _path(path), _buffer(buffer_bytes) {
  _file = std::fopen(path.c_str(), "wb");
  if (_file == nullptr) {
    throw std::runtime_error(describe_errno("fopen", path) + " (check the --expect directory exists)");
  }
}

ExpectWriter::~ExpectWriter() {
  if (_file != nullptr) {
    std::fclose(_file);
  }
}

void ExpectWriter::make_room() {
  if (_used_bytes + max_line_bytes <= _buffer.size()) {
    return;
  }
  if (std::fwrite(_buffer.data(), 1, _used_bytes, _file) != _used_bytes) {
    throw std::runtime_error(describe_errno("fwrite", _path) + " (disk full?)");
  }
  _used_bytes = 0;
}

void ExpectWriter::append(std::string_view text) {
  std::memcpy(_buffer.data() + _used_bytes, text.data(), text.size());
  _used_bytes += text.size();
}

void ExpectWriter::append_number(uint64_t value) {
  char* const start = _buffer.data() + _used_bytes;
  _used_bytes += static_cast<std::size_t>(std::to_chars(start, start + 24, value).ptr - start);
}

void ExpectWriter::append_ts(uint64_t ts_ns) {
  append_number(ts_ns / 1'000'000'000U);
  char fraction[10] = {'.', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
  uint64_t left = ts_ns % 1'000'000'000U;
  for (std::size_t digit = 9; digit >= 1; --digit) {
    fraction[digit] = static_cast<char>('0' + left % 10);
    left /= 10;
  }
  append({fraction, sizeof fraction});
}

void ExpectWriter::append_ip(const frames::IpAddress& address) {
  _used_bytes += frames::format_ip(address, _buffer.data() + _used_bytes);
}

void ExpectWriter::write_connection(const TcpSession& session) {
  make_room();
  const ConnectionLedger& ledger = session.ledger;
  const DirectionTotals& c2s = ledger.totals(Direction::c2s);
  const DirectionTotals& s2c = ledger.totals(Direction::s2c);
  append("{\"client_ip\":\"");
  append_ip(session.client.ip);
  append("\",\"client_port\":");
  append_number(session.client.port);
  append(",\"server_ip\":\"");
  append_ip(session.server.ip);
  append("\",\"server_port\":");
  append_number(session.server.port);
  append(",\"vlan\":[");
  // A tunnelled connection's tags are part of its tunnel's identity, not listed.
  const std::size_t listed_tags = session.tunnels.depth == 0 ? session.vlans.count : 0;
  for (std::size_t tag = 0; tag < listed_tags; ++tag) {
    if (tag != 0) {
      append(",");
    }
    append_number(session.vlans.tags[tag].vid);
  }
  append("],\"state\":\"");
  append(track_state_name(ledger.state()));
  append("\",\"c2s_packets\":");
  append_number(c2s.packets);
  append(",\"s2c_packets\":");
  append_number(s2c.packets);
  append(",\"c2s_bytes\":");
  append_number(c2s.wire_bytes);
  append(",\"s2c_bytes\":");
  append_number(s2c.wire_bytes);
  append(",\"c2s_payload\":");
  append_number(c2s.payload_bytes);
  append(",\"s2c_payload\":");
  append_number(s2c.payload_bytes);
  append(",\"first_ts\":");
  append_ts(ledger.first_ts_ns());
  append(",\"last_ts\":");
  append_ts(ledger.last_ts_ns());
  append("}\n");
}

void ExpectWriter::write_summary(const ExpectSummary& summary) {
  make_room();
  append("{\"type\":\"expect_summary\",\"frames\":");
  append_number(summary.frames);
  append(",\"untracked_fragments\":");
  append_number(summary.untracked_fragments);
  append(",\"undecodable\":");
  append_number(summary.undecodable);
  append(",\"tcp_packets\":");
  append_number(summary.tcp_packets);
  append(",\"connections\":");
  append_number(summary.connections);
  append("}\n");
}

void ExpectWriter::finish() {
  if (_used_bytes != 0 && std::fwrite(_buffer.data(), 1, _used_bytes, _file) != _used_bytes) {
    throw std::runtime_error(describe_errno("fwrite", _path) + " (disk full?)");
  }
  _used_bytes = 0;
  const int close_result = std::fclose(_file);
  _file = nullptr;
  if (close_result != 0) {
    throw std::runtime_error(describe_errno("fclose", _path));
  }
}

}  // namespace ringtrack::pcapgen
