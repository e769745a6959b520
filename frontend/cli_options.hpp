// Owns: ringtrack's command line: tcptrack's short options with their meaning, the long
// options that add the rest, validation, and the -h text.
// Does not own: acting on them (main, runtime).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "frontend/metrics/metrics_endpoint.hpp"
#include "ipfix/ipfix_writer.hpp"
#include "runtime/run_options.hpp"

namespace ringtrack::frontend {

/// A bad command line: what() is one line; main adds the -h hint and exits 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

enum class OutputFormat { text, json };

/// What the command line asks: the program's own choices, and the run itself, which
/// goes to the engine as it is.
struct Options {
  bool help = false;
  bool version = false;
  bool batch = false;
  OutputFormat format = OutputFormat::text;
  /// --output none: batch writes no rows and no summary (exporters and metrics only), and
  /// SIGHUP, with no terminal to hang up, does not end the run.
  bool output_none = false;
  bool verbose = false;           ///< -V: a line once capturing
  bool bits = false;              ///< --bits: the screen starts with speeds in bits per second
  runtime::RunOptions run;        ///< everything else: source, filter, shards, rings, timers
  /// --ipfix: collectors with their host as given (main resolves it before the run).
  ipfix::ExportSettings ipfix;
  /// --metrics: where to serve /metrics.
  std::optional<MetricsAddress> metrics;
};

/// Parses argv; throws UsageError. -h/-v set help/version and skip the other checks.
Options parse_options(int argc, char** argv);

/// The -h text (fits a 24-line terminal, with the prompt).
const char* usage_text();

}  // namespace ringtrack::frontend
