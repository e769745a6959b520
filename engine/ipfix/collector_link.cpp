// Owns: the libfixbuf calls of one collector's transport session.
// Does not own: threads, queues, retry timing (collector_exporter).
#include "ipfix/collector_link.hpp"

#include <fixbuf/public.h>

#include <cstdio>
#include <cstring>
#include <mutex>

namespace ringtrack::ipfix {
namespace {

// libfixbuf reports a refused UDP send (the collector's port is closed: ICMP port
// unreachable on the connected socket) as a GLib warning and returns success. The
// warning comes on the exporter's own thread, inside fBufEmit: it marks the emit failed.
thread_local bool udp_send_refused = false;

void on_glib_message(const gchar*, GLogLevelFlags, const gchar* message, gpointer) {
  if (std::strstr(message, "I/O error on UDP send")) {
    udp_send_refused = true;
    return;
  }
  if (std::strstr(message, "packets will be lost")) return;  // the line after that one
  std::fprintf(stderr, "ringtrack: libfixbuf: %s\n", message);
}

void route_glib_messages() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_log_set_handler(nullptr, GLogLevelFlags(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_CRITICAL),
                      on_glib_message, nullptr);
  });
}

std::string take_message(GError*& error) {
  std::string text = error ? error->message : "unknown error";
  if (error) g_clear_error(&error);
  return text;
}

// libfixbuf keeps templates and information elements in GLib tables whose interning is
// shared by the whole process; set-up and tear-down of two collectors' sessions go one
// at a time. Sending does not take it: a collector that blocks holds up only its own thread.
std::mutex& session_setup_lock() {
  static std::mutex lock;
  return lock;
}

bool is_end_of_message(const GError* error) noexcept {
  return error && g_error_matches(error, FB_ERROR_DOMAIN, FB_ERROR_EOM);
}

}  // namespace

CollectorLink::CollectorLink(const CollectorSpec& spec) : _spec(spec) {
  route_glib_messages();
  std::lock_guard hold(session_setup_lock());
  _model = fbInfoModelAlloc();
}

CollectorLink::~CollectorLink() {
  close();
  std::lock_guard hold(session_setup_lock());
  fbInfoModelFree(_model);
}

void CollectorLink::close() noexcept {
  std::lock_guard hold(session_setup_lock());
  // The buffer owns its session and exporter: freeing it closes the socket without
  // emitting what it holds (a failed or abandoned message is counted as lost by callers).
  if (_buf) fBufFree(_buf);
  _buf = nullptr;
  _export_template = 0;
  _in_message = 0;
  _message_has_templates = false;
}

std::string CollectorLink::open() {
  close();
  _delivered_since_open = false;
  std::lock_guard hold(session_setup_lock());
  fbSession_t* session = fbSessionAlloc(_model);
  fbSessionSetDomain(session, _spec.observation_domain);
  if (std::string problem = add_templates(session, _model, _spec.shape); !problem.empty()) {
    fbSessionFree(session);
    return problem;
  }
  fbConnSpec_t where = FB_CONNSPEC_INIT;
  where.transport = _spec.tcp ? FB_TCP : FB_UDP;
  where.host = const_cast<char*>(_spec.address.c_str());
  where.svc = const_cast<char*>(_spec.port.c_str());
  fbExporter_t* exporter = fbExporterAllocNet(&where);  // copies where
  _buf = fBufAllocForExport(session, exporter);
  GError* error = nullptr;
  if (!export_templates(error) || !fBufSetInternalTemplate(_buf, template_id::internal_record, &error)) {
    std::string problem = take_message(error);
    fBufFree(_buf);  // close() takes the lock held here
    _buf = nullptr;
    return problem;
  }
  return "";
}

bool CollectorLink::export_templates(GError*& error) {
  // A message is begun only in automatic mode; appends then go on by hand, so each
  // emitted message's records are known.
  fBufSetAutomaticMode(_buf, TRUE);
  const bool exported = fbSessionExportTemplates(fBufGetSession(_buf), &error);
  fBufSetAutomaticMode(_buf, FALSE);
  _message_has_templates = exported;
  return exported;
}

std::string CollectorLink::fail(const std::string& what, uint64_t& lost) {
  lost += _in_message;
  close();
  return what;
}

std::string CollectorLink::flush(uint64_t& sent, uint64_t& lost) {
  if (!_buf) return "not connected";
  if (_in_message == 0 && !_message_has_templates) return "";
  GError* error = nullptr;
  udp_send_refused = false;
  if (!fBufEmit(_buf, &error)) return fail(take_message(error), lost);
  if (udp_send_refused) return fail("the collector refused the datagram (port closed)", lost);
  sent += _in_message;
  _in_message = 0;
  _message_has_templates = false;
  _delivered_since_open = true;
  return "";
}

std::string CollectorLink::append(const FlowRecord* records, std::size_t count, uint64_t& sent, uint64_t& lost) {
  for (std::size_t i = 0; i < count; ++i) {
    if (!_buf) {
      lost += count - i;
      return "not connected";
    }
    const FlowRecord& record = records[i];
    GError* error = nullptr;
    const uint16_t wanted = export_template_of(record, _spec.shape);
    if (wanted != _export_template) {
      if (!fBufSetExportTemplate(_buf, wanted, &error)) {
        lost += count - i;
        return fail(take_message(error), lost);
      }
      _export_template = wanted;
    }
    auto* bytes = const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(&record));
    if (fBufAppend(_buf, bytes, sizeof(FlowRecord), &error)) {
      ++_in_message;
      continue;
    }
    if (!is_end_of_message(error)) {
      lost += count - i;
      return fail(take_message(error), lost);
    }
    g_clear_error(&error);
    // The message is full: send it and start the next with this record.
    if (std::string problem = flush(sent, lost); !problem.empty()) {
      lost += count - i;
      return problem;
    }
    --i;
  }
  return "";
}

std::string CollectorLink::refresh_templates(uint64_t& sent, uint64_t& lost) {
  if (std::string problem = flush(sent, lost); !problem.empty()) return problem;
  GError* error = nullptr;
  if (!export_templates(error)) return fail(take_message(error), lost);
  // Set again: the next data record opens a new set after the template set.
  _export_template = 0;
  return flush(sent, lost);
}

}  // namespace ringtrack::ipfix
