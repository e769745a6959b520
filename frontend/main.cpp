// Owns: the ringtrack program's entry: options to a run, errors to one line and an exit code.
// Does not own: any capture, tracking or drawing logic.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <thread>

#include "os/setup_error.hpp"
#include "frontend/cli_options.hpp"
#include "frontend/screen/curses_screen.hpp"
#include "frontend/batch/json_writer.hpp"
#include "frontend/batch/output_stream.hpp"
#include "frontend/batch/text_writer.hpp"
#include "os/wall_clock.hpp"
#include "frontend/screen/screen_app.hpp"
#include "runtime/file_pipeline.hpp"
#include "runtime/file_replay.hpp"
#include "runtime/live_session.hpp"

namespace {

using namespace ringtrack;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

uint32_t default_threads() {
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? uint32_t(online) : 1;
}

uint64_t hash_seed(uint64_t requested) {
  if (requested != 0) return requested;
  std::random_device entropy;
  return (uint64_t(entropy()) << 32) ^ entropy();
}

// Set by SIGINT, SIGTERM and SIGHUP: the run ends with its final report.
std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested.store(true, std::memory_order_relaxed); }

void install_stop_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
}

runtime::FanoutKind fanout_kind(frontend::FanoutMode mode) {
  switch (mode) {
    case frontend::FanoutMode::hash: return runtime::FanoutKind::hash;
    case frontend::FanoutMode::cpu: return runtime::FanoutKind::cpu;
    case frontend::FanoutMode::qm: return runtime::FanoutKind::qm;
    case frontend::FanoutMode::lb: return runtime::FanoutKind::lb;
  }
  return runtime::FanoutKind::hash;
}

int report_output_failure(const frontend::OutputStream& out) {
  std::fprintf(stderr, "ringtrack: cannot write the output: %s\n", std::strerror(out.error()));
  return exit_failure;
}

runtime::ReportWriter& pick_writer(const frontend::Options& options, frontend::JsonWriter& json,
                                   frontend::TextWriter& text) {
  if (options.format == frontend::OutputFormat::json) return json;
  return text;
}

runtime::LiveRunOptions live_run_options(const frontend::Options& options) {
  runtime::LiveRunOptions run;
  run.interface = options.interface;
  run.filter = options.filter;
  run.readers = options.threads;
  run.cpus = options.cpus;
  run.fanout = fanout_kind(options.fanout);
  run.ring_bytes = uint64_t(options.ring_mb) << 20;
  run.block_bytes = options.block_kb << 10;
  run.promiscuous = options.promiscuous;
  run.max_flows = options.max_flows;
  run.flow = options.flow;
  run.flow.report_removed = true;
  run.hash_seed = hash_seed(options.seed);
  run.interval_ns = uint64_t(options.interval_s * 1e9);
  run.duration_ns = uint64_t(options.duration_s * 1e9);
  run.count = options.count;
  run.drop_to_user = options.user;
  run.slow_consumer_us = options.slow_reader_us;
  run.stop_signal = &stop_requested;
  return run;
}

runtime::FileRunOptions file_run_options(const frontend::Options& options) {
  runtime::FileRunOptions run;
  run.path = options.file;
  run.filter = options.filter;
  // One core reads the file; the others track (a shard per core).
  run.shards = options.threads != 0 ? options.threads : std::max<uint32_t>(1, default_threads() - 1);
  run.max_flows = options.max_flows;
  run.flow = options.flow;
  run.flow.report_removed = true;
  run.interval_ns = uint64_t(options.interval_s * 1e9);
  run.hash_seed = hash_seed(options.seed);
  run.stop_signal = &stop_requested;
  return run;
}

class MonotonicClock final : public frontend::Clock {
 public:
  uint64_t now_ms() override { return os::monotonic_ns() / 1'000'000; }
};

// The screen: the capture starts first (its errors print as plain lines), then the
// terminal is taken over until q, Ctrl-C or SIGTERM, and given back before the capture
// threads stop.
int run_screen(const frontend::Options& options) {
  install_stop_signals();
  runtime::DiscardingWriter discard;
  std::unique_ptr<runtime::ViewSource> source;
  if (!options.file.empty()) {
    runtime::FileRunOptions run = file_run_options(options);
    run.flow.report_removed = false;
    source = std::make_unique<runtime::FileReplaySession>(run, options.replay_speed);
  } else {
    runtime::LiveRunOptions run = live_run_options(options);
    run.flow.report_removed = false;
    source = std::make_unique<runtime::LiveSession>(run, discard);
  }
  MonotonicClock clock;
  {
    frontend::CursesScreen screen;
    frontend::ScreenApp app(screen, *source, clock, options.flow.fast_rates ? 100 : 1000, &stop_requested);
    app.run();
  }
  const std::string problem = source->status().problem;
  source.reset();
  if (!problem.empty()) {
    std::fprintf(stderr, "ringtrack: %s\n", problem.c_str());
    return exit_failure;
  }
  return exit_ok;
}

int run_live_batch(const frontend::Options& options) {
  runtime::LiveRunOptions run = live_run_options(options);
  run.notice = [](const std::string& line) { std::fprintf(stderr, "ringtrack: %s\n", line.c_str()); };
  if (options.verbose) run.on_started = run.notice;

  frontend::OutputStream out(STDOUT_FILENO);
  frontend::JsonWriter json(out);
  frontend::TextWriter text(out);
  install_stop_signals();
  const runtime::LiveRunResult result = runtime::run_live_batch(run, pick_writer(options, json, text));
  out.flush();
  if (out.failed()) return report_output_failure(out);
  if (!result.message.empty()) {
    std::fprintf(stderr, "ringtrack: %s\n", result.message.c_str());
    return exit_failure;
  }
  return exit_ok;
}

int run_file_batch(const frontend::Options& options) {
  const runtime::FileRunOptions run = file_run_options(options);

  frontend::OutputStream out(STDOUT_FILENO);
  frontend::JsonWriter json(out);
  frontend::TextWriter text(out);
  install_stop_signals();
  const runtime::FileRunResult result = runtime::run_capture_file(run, pick_writer(options, json, text));
  out.flush();
  if (out.failed()) return report_output_failure(out);
  if (result.damaged) {
    std::fprintf(stderr, "ringtrack: %s\n", result.damage_message.c_str());
    return exit_failure;
  }
  return exit_ok;
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
    if (!options.file.empty() && options.batch) return run_file_batch(options);
    if (!options.interface.empty() && options.batch) return run_live_batch(options);
    return run_screen(options);
  } catch (const SetupError& e) {
    std::fprintf(stderr, "ringtrack: %s\n", e.what());
    return exit_failure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringtrack: %s\n", e.what());
    return exit_failure;
  }
}
