// Owns: the ringtrack program's entry: options to a run, errors to one line and an exit code.
// Does not own: any capture, tracking or drawing logic.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

#include "ipfix/collector_exporter.hpp"
#include "ipfix/ipfix_writer.hpp"
#include "os/address_lookup.hpp"
#include "os/setup_error.hpp"
#include "frontend/cli_options.hpp"
#include "frontend/screen/curses_screen.hpp"
#include "frontend/batch/json_writer.hpp"
#include "frontend/batch/output_stream.hpp"
#include "frontend/batch/text_writer.hpp"
#include "frontend/metrics/metrics_endpoint.hpp"
#include "frontend/metrics/metrics_writer.hpp"
#include "runtime/report_fanout.hpp"
#include "os/wall_clock.hpp"
#include "frontend/screen/screen_app.hpp"
#include "runtime/session.hpp"

namespace {

using namespace ringtrack;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

// Set by SIGINT, SIGTERM and (unless headless) SIGHUP: the run ends with its final report.
std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested.store(true, std::memory_order_relaxed); }

/// SIGHUP is a hangup: the terminal that shows the screen or reads the output went away.
/// A headless run (--output none, the service) has no terminal to lose, and a service
/// manager's reload signal must not end it: there it is ignored, and only SIGINT or
/// SIGTERM end the run.
void install_stop_signals(bool hangup_ends = true) {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM}) sigaction(sig, &action, nullptr);
  if (!hangup_ends) action.sa_handler = SIG_IGN;
  sigaction(SIGHUP, &action, nullptr);
}

// The metrics, when --metrics asks: the writer joins the report stream and the session
// asks for the counters every second; the endpoint binds now, before the capture starts,
// so a port in use is one line and -Z has not given up root yet. exported: flow export's
// counters, which must outlive the endpoint.
struct MetricsSink {
  std::shared_ptr<frontend::MetricsWriter> writer;
  std::unique_ptr<frontend::MetricsEndpoint> endpoint;
};

MetricsSink serve_metrics(const frontend::Options& options, const ipfix::ExportCounters* exported,
                          runtime::RunOptions& run, runtime::ReportFanout& fanout) {
  MetricsSink sink;
  if (!options.metrics) return sink;
  sink.writer = std::make_shared<frontend::MetricsWriter>(exported);
  sink.endpoint = std::make_unique<frontend::MetricsEndpoint>(*options.metrics, sink.writer);
  fanout.add(*sink.writer);
  run.counters_period_ns = frontend::MetricsWriter::counters_period_ns;
  // The handshake RTT histogram reads the rows of removed connections.
  run.flow.report_removed = true;
  return sink;
}

class MonotonicClock final : public frontend::Clock {
 public:
  uint64_t now_ms() override { return os::monotonic_ns() / 1'000'000; }
};

// Collectors are resolved once, before any thread starts: a name that does not resolve is
// one line at start, and the run itself looks up nothing.
void resolve_collectors(ipfix::ExportSettings& settings) {
  for (ipfix::CollectorSpec& spec : settings.collectors) {
    try {
      spec.address = os::numeric_address_of(spec.address, spec.port, spec.tcp);
    } catch (const SetupError& e) {
      throw SetupError("IPFIX collector " + spec.label + " does not resolve: " + e.what());
    }
  }
}

// The screen: the capture starts first (its errors print as plain lines), then the
// terminal is taken over until q, Ctrl-C or SIGTERM, and given back before the capture
// threads stop.
int run_screen(const frontend::Options& options) {
  runtime::RunOptions run = options.run;
  ipfix::ExportSettings export_settings = options.ipfix;
  install_stop_signals();
  // The screen asks for the rows it shows; removed rows are streamed only for export (and
  // for the metrics: serve_metrics).
  run.flow.report_removed = !export_settings.collectors.empty();
  run.paced = true;
  run.flow.averages = true;  // the a key's 10 s and 40 s averages
  runtime::DiscardingWriter discard;
  std::unique_ptr<ipfix::IpfixWriter> exporter;
  runtime::ReportFanout writer;
  if (!export_settings.collectors.empty()) {
    resolve_collectors(export_settings);
    exporter = std::make_unique<ipfix::IpfixWriter>(export_settings);
    writer.add(*exporter);
  }
  const MetricsSink metrics = serve_metrics(options, exporter ? &exporter->counters() : nullptr, run, writer);
  writer.add(discard);
  auto session = std::make_unique<runtime::Session>(run, writer);
  MonotonicClock clock;
  {
    frontend::CursesScreen screen;
    frontend::ScreenApp app(screen, *session, clock, run.flow.fast_rates ? 100 : 1000, &stop_requested);
    app.stop_after(run.duration_ns / 1'000'000, run.count);
    app.show_bits(options.bits);
    app.run();
  }
  const std::string problem = session->status().problem;
  session.reset();
  if (!problem.empty()) {
    std::fprintf(stderr, "ringtrack: %s\n", problem.c_str());
    return exit_failure;
  }
  return exit_ok;
}

// Batch: every report to standard output, as text or NDJSON, or (--output none) only to
// the exporters and the metrics.
int run_batch(const frontend::Options& options) {
  runtime::RunOptions run = options.run;
  run.flow.report_removed = true;
  run.notice = [](const std::string& line) { std::fprintf(stderr, "ringtrack: %s\n", line.c_str()); };
  if (options.verbose) run.on_started = run.notice;

  frontend::OutputStream out(STDOUT_FILENO);
  frontend::JsonWriter json(out);
  frontend::TextWriter text(out);
  runtime::ReportFanout writer;
  // The exporter first: at the final summary it drains its queues, so the format's
  // summary after it counts every record.
  std::unique_ptr<ipfix::IpfixWriter> exporter;
  if (!options.ipfix.collectors.empty()) {
    ipfix::ExportSettings settings = options.ipfix;
    resolve_collectors(settings);
    exporter = std::make_unique<ipfix::IpfixWriter>(settings);
    writer.add(*exporter);
    json.show_export(&exporter->counters());
    text.show_export(&exporter->counters());
  }
  const MetricsSink metrics = serve_metrics(options, exporter ? &exporter->counters() : nullptr, run, writer);
  if (!options.output_none)
    writer.add(options.format == frontend::OutputFormat::json ? static_cast<runtime::ReportWriter&>(json)
                                                              : static_cast<runtime::ReportWriter&>(text));
  install_stop_signals(/*hangup_ends=*/!options.output_none);
  run.stop_signal = &stop_requested;
  std::string problem;
  {
    runtime::Session session(run, writer);
    problem = session.run_to_end();
  }
  out.flush();
  if (out.failed()) {
    std::fprintf(stderr, "ringtrack: cannot write the output: %s\n", std::strerror(out.error()));
    return exit_failure;
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "ringtrack: %s\n", problem.c_str());
    return exit_failure;
  }
  return exit_ok;
}

// The end of a run. A thread left behind by a collector that never answered would see the
// static destructors run under it, so the process then ends without them, output flushed.
int finish(int code) {
  if (ipfix::CollectorExporter::any_left_behind()) {
    std::fflush(nullptr);
    std::_Exit(code);
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed output pipe shows up as a write error, so the final summary logic can run.
  std::signal(SIGPIPE, SIG_IGN);
  frontend::Options options;
  try {
    options = frontend::parse_options(argc, argv);
  } catch (const frontend::UsageError& e) {
    std::fprintf(stderr, "ringtrack: %s\nTry 'ringtrack -h' for the options.\n", e.what());
    return exit_usage;
  }
  if (options.help) {
    std::fputs(frontend::usage_text(), stdout);
    return exit_ok;
  }
  if (options.version) {
    std::printf("ringtrack %s\n", RINGTRACK_VERSION);
    return exit_ok;
  }
  try {
    return finish(options.batch ? run_batch(options) : run_screen(options));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringtrack: %s\n", e.what());
    return finish(exit_failure);
  }
}
