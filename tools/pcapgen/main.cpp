// Owns: the program: parse the command line, open the outputs, run one scenario, report.
// Does not own: any traffic (scenario_*.cpp) or file format (pcap_writer, expect_writer).
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include "cli_options.hpp"
#include "expect_writer.hpp"
#include "frame_builder.hpp"
#include "packet_clock.hpp"
#include "packet_sink.hpp"
#include "payload_pool.hpp"
#include "pcap_writer.hpp"
#include "scenarios.hpp"

namespace {

int generate(const ringtrack::pcapgen::CliOptions& options) {
  using namespace ringtrack::pcapgen;
  const ScenarioEntry& scenario = find_scenario(options.scenario);
  check_scenario_options(scenario, options);

  const PayloadPool pool(options.seed);
  PcapFormat format;
  format.interface.link = options.link;
  format.nanosecond = options.nanosecond;
  format.big_endian = options.big_endian;
  format.interface.snaplen_bytes = options.snaplen_bytes.value_or(format.interface.snaplen_bytes);
  if (scenario.two_interfaces) {
    format.second_interface = second_interface_of(options);
  }
  PcapWriter writer(options.output_path, format);
  std::optional<ExpectWriter> expect;
  if (!options.expect_path.empty()) {
    expect.emplace(options.expect_path);
  }
  PacketSink sink(writer, PacketClock(options.start_time_s, options.packets_per_s, options.nanosecond),
                  expect ? &*expect : nullptr);
  FrameBuilder builder(ringtrack::frames::LinkWriter(options.link, options.big_endian), pool);
  TunnelWrapper tunnels(ringtrack::frames::LinkWriter(options.link, options.big_endian));
  TrafficContext traffic{builder, sink, options.link, tunnels};
  std::optional<FrameBuilder> second_builder;
  std::optional<TunnelWrapper> second_tunnels;
  std::optional<TrafficContext> second_traffic;
  if (format.second_interface) {
    const ringtrack::frames::LinkType link = format.second_interface->link;
    second_builder.emplace(ringtrack::frames::LinkWriter(link, options.big_endian), pool, uint8_t{1});
    second_tunnels.emplace(ringtrack::frames::LinkWriter(link, options.big_endian));
    second_traffic.emplace(TrafficContext{*second_builder, sink, link, *second_tunnels});
    traffic.second_interface = &*second_traffic;
  }
  ScenarioContext context{options, traffic, Rng(options.seed)};
  scenario.run(context);
  const uint64_t frames = sink.frames_written();
  sink.finish();
  std::fprintf(stderr, "ringtrack-pcapgen: %s: %llu frames -> %s\n", options.scenario.c_str(),
               static_cast<unsigned long long>(frames), options.output_path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const ringtrack::pcapgen::CliOptions options = ringtrack::pcapgen::parse_cli(argc, argv);
    if (options.help) {
      std::fputs(ringtrack::pcapgen::usage_text().data(), stdout);
      return 0;
    }
    return generate(options);
  } catch (const ringtrack::pcapgen::UsageError& error) {
    std::fprintf(stderr, "ringtrack-pcapgen: %s\n(see ringtrack-pcapgen --help)\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ringtrack-pcapgen: %s\n", error.what());
    return 1;
  }
}
