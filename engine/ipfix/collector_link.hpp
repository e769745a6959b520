// Owns: one transport session to one collector through libfixbuf: its session (templates,
// observation domain, sequence numbers), message buffer and exporter, opened and closed
// as the collector comes and goes.
// Does not own: when to retry or what to send (collector_exporter), the records' values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ipfix/flow_record.hpp"
#include "ipfix/ipfix_templates.hpp"

struct fBuf_st;
struct _GError;
struct fbInfoModel_st;

namespace ringtrack::ipfix {

/// Where one collector is and what it is sent.
struct CollectorSpec {
  std::string label;    ///< as given on the command line, for messages
  std::string address;  ///< numeric, resolved once at start
  std::string port;
  bool tcp = false;
  uint32_t observation_domain = 0;
  RecordShape shape = RecordShape::biflow;
};

/// Used by one thread (its collector's exporter). libfixbuf's buffer is in manual mode, so
/// every record is known to be sent or lost: a message is emitted when full and by
/// flush(); a failed flush closes the link and counts its records as lost.
class CollectorLink {
 public:
  explicit CollectorLink(const CollectorSpec& spec);
  ~CollectorLink();
  CollectorLink(const CollectorLink&) = delete;
  CollectorLink& operator=(const CollectorLink&) = delete;

  /// A new transport session: a fresh libfixbuf session (sequence numbers from 0) with
  /// the templates first in its first message; TCP connects when it is first emitted.
  /// Returns "" or the reason.
  std::string open();
  bool is_open() const noexcept { return _buf != nullptr; }
  void close() noexcept;

  /// Appends records, emitting each message that fills. On a transport failure returns
  /// the reason with the link closed; sent and lost count records either way.
  std::string append(const FlowRecord* records, std::size_t count, uint64_t& sent, uint64_t& lost);
  /// Emits the message being built, if it holds anything.
  std::string flush(uint64_t& sent, uint64_t& lost);
  /// Sends the templates again (UDP's refresh, RFC 7011 section 8.4), in a message of their own.
  std::string refresh_templates(uint64_t& sent, uint64_t& lost);
  /// True once a message reached the transport since open() (TCP: it connected).
  bool delivered_since_open() const noexcept { return _delivered_since_open; }

 private:
  bool export_templates(_GError*& error);
  std::string fail(const std::string& what, uint64_t& lost);

  CollectorSpec _spec;
  fbInfoModel_st* _model = nullptr;
  fBuf_st* _buf = nullptr;
  uint16_t _export_template = 0;
  std::size_t _in_message = 0;  ///< records appended to the message being built
  bool _message_has_templates = false;
  bool _delivered_since_open = false;
};

}  // namespace ringtrack::ipfix
