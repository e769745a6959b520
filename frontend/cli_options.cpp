// Owns: getopt_long parsing and value validation.
// Does not own: defaults' meaning (documented in Options and ringtrack.1).
#include "frontend/cli_options.hpp"

#include <getopt.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <tuple>
#include <utility>

namespace ringtrack::frontend {
namespace {

enum LongOnly : int {
  opt_batch = 1000,
  opt_format,
  opt_interval,
  opt_duration,
  opt_count,
  opt_threads,
  opt_cpus,
  opt_fanout,
  opt_ring_mb,
  opt_block_kb,
  opt_max_flows,
  opt_idle_timeout,
  opt_speed,
  opt_seed,
  opt_no_timeouts,
  opt_slow_reader,
  opt_ipfix,
  opt_ipfix_transport,
  opt_ipfix_uniflow,
  opt_active_timeout,
  opt_observation_domain,
  opt_metrics,
  opt_output,
  opt_bits,
};

const option long_options[] = {
    {"help", no_argument, nullptr, 'h'},
    {"version", no_argument, nullptr, 'v'},
    {"interface", required_argument, nullptr, 'i'},
    {"read", required_argument, nullptr, 'T'},
    {"batch", no_argument, nullptr, opt_batch},
    {"format", required_argument, nullptr, opt_format},
    {"interval", required_argument, nullptr, opt_interval},
    {"duration", required_argument, nullptr, opt_duration},
    {"count", required_argument, nullptr, opt_count},
    {"threads", required_argument, nullptr, opt_threads},
    {"cpus", required_argument, nullptr, opt_cpus},
    {"fanout", required_argument, nullptr, opt_fanout},
    {"ring-mb", required_argument, nullptr, opt_ring_mb},
    {"block-kb", required_argument, nullptr, opt_block_kb},
    {"max-flows", required_argument, nullptr, opt_max_flows},
    {"idle-timeout", required_argument, nullptr, opt_idle_timeout},
    {"speed", required_argument, nullptr, opt_speed},
    {"seed", required_argument, nullptr, opt_seed},
    {"no-timeouts", no_argument, nullptr, opt_no_timeouts},
    {"slow-reader-us", required_argument, nullptr, opt_slow_reader},
    {"verbose", no_argument, nullptr, 'V'},
    {"ipfix", required_argument, nullptr, opt_ipfix},
    {"ipfix-transport", required_argument, nullptr, opt_ipfix_transport},
    {"ipfix-uniflow", no_argument, nullptr, opt_ipfix_uniflow},
    {"active-timeout", required_argument, nullptr, opt_active_timeout},
    {"observation-domain", required_argument, nullptr, opt_observation_domain},
    {"metrics", required_argument, nullptr, opt_metrics},
    {"output", required_argument, nullptr, opt_output},
    {"bits", no_argument, nullptr, opt_bits},
    {nullptr, 0, nullptr, 0},
};

double parse_seconds(const char* option, const char* text, double min, double max) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || errno != 0 || !std::isfinite(v) || v < min || v > max)
    throw UsageError(std::string(option) + " wants seconds from " + std::to_string(int64_t(min)) +
                     " to " + std::to_string(int64_t(max)) + ", got '" + text + "'");
  return v;
}

uint64_t parse_count(const char* option, const char* text, uint64_t min, uint64_t max) {
  uint64_t v = 0;
  const char* end = text + std::strlen(text);
  const auto r = std::from_chars(text, end, v);
  if (r.ec != std::errc() || r.ptr != end || v < min || v > max)
    throw UsageError(std::string(option) + " wants a whole number from " + std::to_string(min) +
                     " to " + std::to_string(max) + ", got '" + text + "'");
  return v;
}

uint64_t to_ns(double seconds) { return uint64_t(std::llround(seconds * 1e9)); }

// [IPV6]:PORT or HOST:PORT as {host, port}; text without a colon is a bare port ({"", text});
// both empty for any other shape.
std::pair<std::string, std::string> split_host_port(const std::string& s) {
  if (!s.empty() && s[0] == '[') {
    const std::size_t close = s.find("]:");
    if (close == std::string::npos) return {};
    return {s.substr(1, close - 1), s.substr(close + 2)};
  }
  const std::size_t colon = s.rfind(':');
  if (colon == std::string::npos) return {"", s};
  if (s.find(':') != colon) return {};
  return {s.substr(0, colon), s.substr(colon + 1)};
}

// HOST:PORT or [IPV6]:PORT, the port a number.
ipfix::CollectorSpec parse_collector(const char* text) {
  const std::string s = text;
  const auto [host, port] = split_host_port(s);
  if (host.empty() || port.empty())
    throw UsageError("--ipfix wants HOST:PORT or [IPV6]:PORT, got '" + s + "'");
  parse_count("--ipfix's port", port.c_str(), 1, 65535);
  ipfix::CollectorSpec spec;
  spec.label = s;
  spec.address = host;
  spec.port = port;
  return spec;
}

// PORT or :PORT (every IPv4 address), ADDR:PORT or [IPV6]:PORT, the port a number.
MetricsAddress parse_metrics_address(const char* text) {
  const std::string s = text;
  MetricsAddress address;
  address.label = s;
  std::tie(address.host, address.port) = split_host_port(s);
  if (address.port.empty())
    throw UsageError("--metrics wants PORT, ADDR:PORT or [IPV6]:PORT, got '" + s + "'");
  parse_count("--metrics's port", address.port.c_str(), 1, 65535);
  return address;
}

// "-p" or "--duration": how -h names the option getopt returned as code.
std::string option_name(int code) {
  if (code < opt_batch) return std::string("-") + char(code);
  for (const option& o : long_options)
    if (o.name && o.val == code) return std::string("--") + o.name;
  return "?";
}

}  // namespace

const char* usage_text() {
  return "Usage: ringtrack [-dfhvp] [-r seconds] -i interface [filter expression]\n"
         "       ringtrack [-df] [-r seconds] -T file [--batch] [filter expression]\n"
         "Watch TCP connections live: client, server, state, idle time, speed.\n"
         "  -i IFACE          capture on IFACE with one TPACKET_V3 ring per reader\n"
         "  -T FILE           read a pcap/pcapng file, paced on screen (--speed); -: stdin\n"
         "  -d                only connections whose SYN is seen (no mid-stream pickup)\n"
         "  -f                speeds over 1 s sliding every 0.1 s; --bits: in bit/s\n"
         "  -r SECONDS        keep CLOSED/RESET connections this long (default 2)\n"
         "  -p                no promiscuous mode; -Z USER: be USER once sockets are open\n"
         "  --batch           no screen: print connections and a summary at the end\n"
         "  --format text|json  batch output (json: NDJSON); --output none: no rows\n"
         "  --interval S      batch: also report every S seconds (capture time)\n"
         "  --duration S      live: stop after S seconds; --count N: after N TCP packets\n"
         "  --threads N       readers/shards (default: online CPUs); --cpus LIST to pin\n"
         "  --fanout hash|cpu|qm|lb  kernel fanout mode (default hash)\n"
         "  --ring-mb N --block-kb N  ring per reader (default 16-64 MiB by link speed)\n"
         "  --max-flows N     table capacity over all shards (default 1048576)\n"
         "  --idle-timeout S  forget idle ESTABLISHED rows (3600; 0 never); --no-timeouts\n"
         "  --speed X         -T on screen: replay X times as fast (0 = no pacing)\n"
         "  --ipfix HOST:PORT IPFIX biflows to a collector (repeat: two); --ipfix-uniflow\n"
         "    --ipfix-transport udp|tcp  --active-timeout S (60)  --observation-domain N\n"
         "  --metrics [ADDR:]PORT  serve Prometheus metrics at http://ADDR:PORT/metrics\n"
         "-v: the version. Filter syntax: pcap-filter(7). Keys and details: ringtrack(1).\n";
}

Options parse_options(int argc, char** argv) {
  Options o;
  optind = 1;
  opterr = 0;
  // Options that mean something only live, or only for a file on the screen: the first
  // one given, to reject it in the other modes with one line.
  int live_only = 0;
  bool replay_only = false;
  int screen_only = 0;  // an option that shapes only the screen
  // Export details apply to every collector, whatever the order on the line.
  int ipfix_detail = 0;
  bool ipfix_tcp = false;
  ipfix::RecordShape ipfix_shape = ipfix::RecordShape::biflow;
  uint32_t observation_domain = 0;
  bool output_given = false;
  bool format_given = false;
  int c;
  // No leading '+': options may follow the filter expression, as tcptrack takes them
  // (`tcptrack port 80 -i eth0`); `--` ends the options.
  while ((c = getopt_long(argc, argv, ":dfhvpVi:T:r:Z:", long_options, nullptr)) != -1) {
    switch (c) {
      case 'p':
      case 'Z':
      case opt_duration:
      case opt_count:
      case opt_cpus:
      case opt_fanout:
      case opt_ring_mb:
      case opt_block_kb:
      case opt_slow_reader:
        if (!live_only) live_only = c;
        break;
      case opt_speed:
        replay_only = true;
        break;
      case opt_bits:
        screen_only = c;
        break;
      default:
        break;
    }
    switch (c) {
      case 'h': o.help = true; return o;
      case 'v': o.version = true; return o;
      case 'd': o.run.flow.track_midstream = false; break;
      case 'f': o.run.flow.fast_rates = true; break;
      case 'p': o.run.ring.promiscuous = false; break;
      case 'V': o.verbose = true; break;
      case 'i': o.run.interface = optarg; break;
      case 'T': o.run.file = optarg; break;
      case 'Z': o.run.drop_to_user = optarg; break;
      case 'r': o.run.flow.closed_linger_ns = to_ns(parse_seconds("-r", optarg, 0, 86400)); break;
      case opt_batch: o.batch = true; break;
      case opt_format:
        if (std::strcmp(optarg, "text") == 0) o.format = OutputFormat::text;
        else if (std::strcmp(optarg, "json") == 0) o.format = OutputFormat::json;
        else throw UsageError(std::string("--format wants text or json, got '") + optarg + "'");
        format_given = true;
        break;
      case opt_interval: o.run.interval_ns = to_ns(parse_seconds("--interval", optarg, 0.1, 86400)); break;
      case opt_duration: o.run.duration_ns = to_ns(parse_seconds("--duration", optarg, 0.1, 31536000)); break;
      case opt_count: o.run.count = parse_count("--count", optarg, 1, UINT64_MAX); break;
      case opt_threads: o.run.shards = uint32_t(parse_count("--threads", optarg, 1, 1024)); break;
      case opt_cpus: o.run.cpus = optarg; break;
      case opt_fanout:
        if (std::strcmp(optarg, "hash") == 0) o.run.fanout = runtime::FanoutKind::hash;
        else if (std::strcmp(optarg, "cpu") == 0) o.run.fanout = runtime::FanoutKind::cpu;
        else if (std::strcmp(optarg, "qm") == 0) o.run.fanout = runtime::FanoutKind::qm;
        else if (std::strcmp(optarg, "lb") == 0) o.run.fanout = runtime::FanoutKind::lb;
        else throw UsageError(std::string("--fanout wants hash, cpu, qm or lb, got '") + optarg + "'");
        break;
      case opt_ring_mb: o.run.ring.ring_bytes = parse_count("--ring-mb", optarg, 1, 65536) << 20; break;
      case opt_block_kb:
        o.run.ring.block_bytes = uint32_t(parse_count("--block-kb", optarg, 4, 65536) << 10);
        if (o.run.ring.block_bytes % 4096 != 0) throw UsageError("--block-kb must be a multiple of 4 (whole pages)");
        break;
      case opt_max_flows: o.run.max_flows = parse_count("--max-flows", optarg, 1, 1ull << 32); break;
      case opt_idle_timeout: {
        const double s = parse_seconds("--idle-timeout", optarg, 0, 31536000);
        o.run.flow.idle_timeout_ns = s == 0 ? flow::FlowConfig::never : to_ns(s);
        break;
      }
      case opt_no_timeouts: o.run.flow.disable_timers(); break;
      case opt_slow_reader: o.run.slow_consumer_us = uint32_t(parse_count("--slow-reader-us", optarg, 1, 1000000)); break;
      case opt_speed: o.run.replay_speed = parse_seconds("--speed", optarg, 0, 1000000); break;
      case opt_seed: o.run.hash_seed = parse_count("--seed", optarg, 1, UINT64_MAX); break;
      case opt_ipfix:
        if (o.ipfix.collectors.size() == 2) throw UsageError("--ipfix takes at most two collectors");
        o.ipfix.collectors.push_back(parse_collector(optarg));
        break;
      case opt_ipfix_transport:
        if (std::strcmp(optarg, "udp") == 0) ipfix_tcp = false;
        else if (std::strcmp(optarg, "tcp") == 0) ipfix_tcp = true;
        else throw UsageError(std::string("--ipfix-transport wants udp or tcp, got '") + optarg + "'");
        ipfix_detail = c;
        break;
      case opt_ipfix_uniflow:
        ipfix_shape = ipfix::RecordShape::uniflow;
        ipfix_detail = c;
        break;
      case opt_active_timeout:
        o.ipfix.active_timeout_ns = to_ns(parse_seconds("--active-timeout", optarg, 1, 86400));
        ipfix_detail = c;
        break;
      case opt_observation_domain:
        observation_domain = uint32_t(parse_count("--observation-domain", optarg, 0, UINT32_MAX));
        ipfix_detail = c;
        break;
      case opt_bits: o.bits = true; break;
      case opt_metrics: o.metrics = parse_metrics_address(optarg); break;
      case opt_output:
        if (std::strcmp(optarg, "none") == 0) o.output_none = true;
        else if (std::strcmp(optarg, "stdout") == 0) o.output_none = false;
        else throw UsageError(std::string("--output wants none or stdout, got '") + optarg + "'");
        output_given = true;
        break;
      case ':':
        throw UsageError(std::string("option ") + argv[optind - 1] + " needs a value");
      default:
        throw UsageError(std::string("unknown option '") + argv[optind - 1] + "'");
    }
  }
  for (int i = optind; i < argc; ++i) {
    if (!o.run.filter.empty()) o.run.filter += ' ';
    o.run.filter += argv[i];
  }
  const int sources = int(!o.run.interface.empty()) + int(!o.run.file.empty());
  if (sources == 0) throw UsageError("nothing to watch: give -i INTERFACE or -T FILE");
  if (sources > 1) throw UsageError("give -i INTERFACE or -T FILE, not both");
  if (!o.batch && (o.run.interval_ns != 0 || o.format != OutputFormat::text))
    throw UsageError("--interval and --format are for --batch output");
  if (!o.batch && output_given) throw UsageError("--output is for --batch (the screen is the output)");
  if (o.output_none && (format_given || o.run.interval_ns != 0))
    throw UsageError("--format and --interval shape the output, and --output none writes none");
  if (o.output_none && o.ipfix.collectors.empty() && !o.metrics)
    throw UsageError("--output none reports nothing by itself: add --metrics or --ipfix");
  if (o.run.file == "-" && !o.batch)
    throw UsageError("-T - reads the capture from standard input and needs --batch (the screen reads keys from the terminal)");
  if (!o.run.file.empty() && live_only)
    throw UsageError(option_name(live_only) + " is for live capture (-i)" +
                     (live_only == opt_duration || live_only == opt_count ? "; a file ends by itself" : ""));
  if (ipfix_detail && o.ipfix.collectors.empty())
    throw UsageError(option_name(ipfix_detail) + " is for flow export: give --ipfix HOST:PORT");
  for (ipfix::CollectorSpec& spec : o.ipfix.collectors) {
    spec.tcp = ipfix_tcp;
    spec.shape = ipfix_shape;
    spec.observation_domain = observation_domain;
  }
  o.ipfix.wait_for_room = !o.run.file.empty();
  if (!o.ipfix.collectors.empty()) o.run.active_timeout_ns = o.ipfix.active_timeout_ns;
  if (screen_only && o.batch)
    throw UsageError(option_name(screen_only) + " is for the screen (batch text keeps tcptrack's B/s, NDJSON gives bytes per second)");
  if (replay_only && (o.run.file.empty() || o.batch))
    throw UsageError("--speed paces a capture file on the screen (-T without --batch)");
  return o;
}

}  // namespace ringtrack::frontend
