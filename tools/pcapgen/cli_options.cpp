// Owns: turning argv into cli_options, rejecting unknown or malformed arguments.
// Does not own: running anything.
#include "cli_options.hpp"

#include <charconv>
#include <vector>

namespace ringtrack::pcapgen {
namespace {

constexpr uint32_t max_snaplen_bytes = 262144;
constexpr uint64_t max_start_time_s = 4000000000ULL;  // pcap seconds are 32-bit

uint64_t parse_number(std::string_view option, std::string_view text, uint64_t low, uint64_t high) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw UsageError(std::string(option) + " expects a non-negative integer, got '" + std::string(text) + "'");
  }
  if (value < low || value > high) {
    throw UsageError(std::string(option) + " must be between " + std::to_string(low) + " and " + std::to_string(high) +
                     ", got " + std::string(text));
  }
  return value;
}

}  // namespace

std::string_view usage_text() noexcept {
  return R"(usage: ringtrack-pcapgen SCENARIO -o OUT.pcap [--expect OUT.expect.ndjson] [options]

Writes a deterministic synthetic capture (same arguments and seed => same bytes).

scenarios:
  mixed      [--conns N=50]  IPv4+IPv6 connections ending in every tcptrack state, mid-stream
             pickups and one-sided flows, interleaved
  vlan       one 4-tuple untagged, in VLAN 100 and in VLAN 200, plus other tagged connections
  qinq       802.1ad (0x88a8) + 802.1Q stacks, legacy 0x9100 and double 0x8100 outer tags
  qinqinq    three-tag stacks (S-tag over two C-tags); stacks differing only in the third id;
             stacks of four to eight tags (keyed by the outer three, listed whole)
  frag       IPv4 and IPv6 TCP fragments (in order, reversed, atomic) and IPv4 UDP fragments
  srcroute   IPv4 loose and strict source routes, in progress and done: the server is the final hop
  reuse      one 4-tuple: FIN-closed, then reset, then open again; retransmitted SYNs
  states     one connection per tcptrack state transition, incl. same-host half-close
  many       [--conns N=5000] overlapping short request/response connections
  bench      [--conns C=100000] [--packets P=1000000] C concurrent connections, exactly P frames
  synflood   [--count N=10000000] [--established K=100] K live connections among N spoofed SYNs
  malformed  [--count N=10000] undecodable frames interleaved with 6 valid connections
  teredo     IPv6 in Teredo (UDP 3544) through two relays; one 4-tuple in both and untunnelled
  tunnel-overlap  one inner 4-tuple in two VXLAN VNIs, two GTP-U tunnels, GRE and none: 6 connections
  gtp-bearers     one inner 4-tuple on five GTP-U bearers, three behind the same gateways: 5 connections
  tunnel-nest     tunnels in tunnels, two to four deep (VXLAN in GRE ... Geneve in VXLAN in GRE in IPIP)
  interfaces      pcapng on two interfaces: --link and raw IP cut at 128 bytes (Ethernet if --link raw);
                  16 connections on one, the other or each direction on its own

options:
  -o, --output FILE        pcap file to write (pcapng for interfaces; required)
  --expect FILE            write the expected per-connection results as NDJSON
  --seed N                 random seed (default 1)
  --link TYPE              ether (1, default), sll (113), sll2 (276), raw (101),
                           null (0, host-order AF), loop (108, network-order AF),
                           ppp (9, HDLC address and control), nflog (239)
  --nanosecond             nanosecond timestamps (magic a1b23c4d)
  --big-endian             write the file in big-endian byte order
  --snaplen N              cut every captured frame to N bytes (orig len is kept)
  --start-time SECONDS     Unix time of the first frame (default 1700000000)
  --pps N                  frames per second of capture time (default 1000)
  --ipv6                   IPv6 instead of IPv4 (many, bench, reuse, states)
  -h, --help               this text

exit status: 0 written, 1 I/O failure, 2 usage error.
)";
}

CliOptions parse_cli(int argc, const char* const* argv) {
  CliOptions options;
  std::vector<std::string_view> args;
  for (int index = 1; index < argc; ++index) {
    std::string_view arg = argv[index];
    // --name=value is the same as --name value.
    const std::size_t equals = arg.find('=');
    if (arg.starts_with("--") && equals != std::string_view::npos) {
      args.push_back(arg.substr(0, equals));
      args.push_back(arg.substr(equals + 1));
    } else {
      args.push_back(arg);
    }
  }
  for (std::size_t index = 0; index < args.size(); ++index) {
    const std::string_view arg = args[index];
    auto value = [&]() -> std::string_view {
      if (index + 1 >= args.size()) {
        throw UsageError(std::string(arg) + " needs a value");
      }
      return args[++index];
    };
    if (arg == "-h" || arg == "--help") {
      options.help = true;
    } else if (arg == "-o" || arg == "--output") {
      options.output_path = std::string(value());
    } else if (arg == "--expect") {
      options.expect_path = std::string(value());
    } else if (arg == "--seed") {
      options.seed = parse_number(arg, value(), 0, UINT64_MAX);
    } else if (arg == "--link") {
      const std::string_view name = value();
      const std::optional<frames::LinkType> type = frames::parse_link_type(name);
      if (!type) {
        throw UsageError("--link must be ether, sll, sll2, raw, null, loop, ppp or nflog, got '" + std::string(name) + "'");
      }
      options.link = *type;
    } else if (arg == "--nanosecond") {
      options.nanosecond = true;
    } else if (arg == "--big-endian") {
      options.big_endian = true;
    } else if (arg == "--snaplen") {
      options.snaplen_bytes = static_cast<uint32_t>(parse_number(arg, value(), 1, max_snaplen_bytes));
    } else if (arg == "--start-time") {
      options.start_time_s = parse_number(arg, value(), 0, max_start_time_s);
    } else if (arg == "--pps") {
      options.packets_per_s = parse_number(arg, value(), 1, 1'000'000'000);
    } else if (arg == "--ipv6") {
      options.ipv6 = true;
    } else if (arg == "--conns") {
      options.conns = parse_number(arg, value(), 1, 12'000'000);
    } else if (arg == "--packets") {
      options.packets = parse_number(arg, value(), 1, 1'000'000'000);
    } else if (arg == "--count") {
      options.count = parse_number(arg, value(), 0, max_count_option);
    } else if (arg == "--established") {
      options.established = parse_number(arg, value(), 0, 1'000'000);
    } else if (arg.starts_with("-") && arg.size() > 1) {
      throw UsageError("unknown option " + std::string(arg));
    } else if (options.scenario.empty()) {
      options.scenario = std::string(arg);
    } else {
      throw UsageError("unexpected argument '" + std::string(arg) + "' (scenario is already '" + options.scenario +
                       "')");
    }
  }
  if (options.help) {
    return options;
  }
  if (options.scenario.empty()) {
    throw UsageError("missing SCENARIO");
  }
  if (options.output_path.empty()) {
    throw UsageError("missing -o OUT.pcap");
  }
  return options;
}

}  // namespace ringtrack::pcapgen
