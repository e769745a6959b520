// Owns: the HTTP endpoint that serves /metrics (prometheus-cpp's exposer, on civetweb), and
// the address it listens on.
// Does not own: the metrics themselves (metrics_writer) or parsing the option (cli_options).
#pragma once

#include <memory>
#include <string>

namespace prometheus {
class Collectable;
class Exposer;
}  // namespace prometheus

namespace ringtrack::frontend {

/// --metrics [ADDR:]PORT as given: host empty for every IPv4 address.
struct MetricsAddress {
  std::string label;  ///< as the command line gave it, for messages
  std::string host;   ///< a name, an IPv4 address or an IPv6 address without brackets
  std::string port;
};

/// Made on main's thread before the capture starts (before -Z gives up root, so a port
/// under 1024 binds); serves from civetweb's own threads until destroyed.
class MetricsEndpoint {
 public:
  /// Listens and serves metrics at /metrics. Throws SetupError, one line, when the host
  /// does not resolve or the address cannot be bound (port in use, address not local).
  MetricsEndpoint(const MetricsAddress& address, const std::shared_ptr<prometheus::Collectable>& metrics);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

 private:
  std::unique_ptr<prometheus::Exposer> _exposer;
};

}  // namespace ringtrack::frontend
