// Owns: binding the exposer, wording its failure, and what its threads give up as they start.
// Does not own: serving (civetweb's threads) or the metrics.
#include "frontend/metrics/metrics_endpoint.hpp"

#include <CivetServer.h>
#include <prometheus/exposer.h>

#include <exception>

#include "os/address_lookup.hpp"
#include "os/privileges.hpp"
#include "os/setup_error.hpp"

namespace ringtrack::frontend {
namespace {

// Two threads: a scrape at a time is the rule, and a second keeps a slow client from
// holding up Prometheus.
constexpr std::size_t serving_threads = 2;

// civetweb's own words for a failed start, kept for the one line instead of printed
// (it calls back on the thread that starts it: main's, before any other starts).
thread_local std::string start_failure;

int keep_log_message(const mg_connection*, const char* message) {
  if (start_failure.empty() && message) start_failure = message;
  return 1;  // handled: civetweb prints nothing itself
}

// Each of civetweb's threads, as it starts (the socket is already bound): it serves the
// network and needs no privilege, so it keeps none of what the process started with
// (root's, or the service's CAP_NET_RAW), as every capture thread gives them up too.
void* give_up_capabilities(const mg_context*, int) {
  try {
    os::drop_capabilities();
  } catch (const std::exception&) {
    // Lowering capabilities cannot be refused; there is no one to tell on this thread.
  }
  return nullptr;
}

// civetweb's listening_ports: "PORT" (every IPv4 address), "A.B.C.D:PORT", "[IPV6]:PORT".
std::string listening_port(const MetricsAddress& address) {
  if (address.host.empty()) return address.port;
  std::string numeric;
  try {
    numeric = os::numeric_address_of(address.host, address.port, /*stream=*/true);
  } catch (const SetupError& e) {
    throw SetupError("--metrics " + address.label + " does not resolve: " + e.what());
  }
  return numeric.find(':') != std::string::npos ? "[" + numeric + "]:" + address.port : numeric + ":" + address.port;
}

}  // namespace

MetricsEndpoint::MetricsEndpoint(const MetricsAddress& address,
                                 const std::shared_ptr<prometheus::Collectable>& metrics) {
  const std::string port = listening_port(address);
  CivetCallbacks callbacks;
  callbacks.log_message = keep_log_message;
  callbacks.init_thread = give_up_capabilities;
  start_failure.clear();
  try {
    _exposer = std::make_unique<prometheus::Exposer>(port, serving_threads, &callbacks);
  } catch (const std::exception& e) {
    const std::string why = start_failure.empty() ? std::string(e.what()) : start_failure;
    throw SetupError("cannot serve metrics on " + address.label + ": " + why +
                     (why.find("in use") != std::string::npos ? " (choose another port with --metrics)" : ""));
  }
  _exposer->RegisterCollectable(metrics);
}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace ringtrack::frontend
