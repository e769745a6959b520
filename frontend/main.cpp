// Owns: the ringtrack program's entry: options to a run, errors to one line and an exit code.
// Does not own: any capture, tracking or drawing logic.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <random>
#include <thread>

#include "capture/setup_error.hpp"
#include "frontend/cli_options.hpp"
#include "frontend/json_writer.hpp"
#include "frontend/output_stream.hpp"
#include "frontend/text_writer.hpp"
#include "runtime/file_pipeline.hpp"

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

int run_file_batch(const frontend::Options& options) {
  runtime::FileRunOptions run;
  run.path = options.file;
  run.filter = options.filter;
  run.shards = options.threads != 0 ? options.threads : default_threads();
  run.max_flows = options.max_flows;
  run.flow = options.flow;
  run.flow.report_removed = true;
  run.interval_ns = uint64_t(options.interval_s * 1e9);
  run.hash_seed = hash_seed(options.seed);

  frontend::OutputStream out(STDOUT_FILENO);
  frontend::JsonWriter json(out);
  frontend::TextWriter text(out);
  runtime::ReportWriter& writer =
      options.format == frontend::OutputFormat::json ? static_cast<runtime::ReportWriter&>(json) : text;
  const runtime::FileRunResult result = runtime::run_capture_file(run, writer);
  out.flush();
  if (result.damaged) {
    std::fprintf(stderr, "ringtrack: %s\n", result.damage_message.c_str());
    return exit_failure;
  }
  if (out.failed()) return exit_failure;
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
    std::fprintf(stderr, "ringtrack: this build has no screen or live capture yet; use -T FILE --batch\n");
    return exit_usage;
  } catch (const SetupError& e) {
    std::fprintf(stderr, "ringtrack: %s\n", e.what());
    return exit_failure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringtrack: %s\n", e.what());
    return exit_failure;
  }
}
