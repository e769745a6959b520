"""What a scrape of ringtrack's /metrics must say, given the run's own summary and rows.

Owns: the comparison every metrics test makes: each metric against the summary field it
exposes, and the handshake RTT histogram against the rows' handshake_rtt_us. Does not own:
running ringtrack or scraping (ringtrack_testlib.metrics_text).
"""
from ringtrack_testlib.metrics_text import total, value

# The histogram's upper bounds in seconds (frontend/metrics/rtt_histogram.hpp).
RTT_BOUNDS_S = ["0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                "0.25", "0.5", "1", "3", "+Inf"]


def assert_matches_summary(test, found, summary, live):
    """Every counter and gauge against the summary it comes from (one implementation: equal)."""
    test.assertEqual(total(found, "ringtrack_frames_total"), summary["frames_read"])
    test.assertEqual(total(found, "ringtrack_bytes_total"), summary["bytes_read"])
    test.assertEqual(value(found, "ringtrack_tcp_packets_total"), summary["tcp_packets"])
    for reason, count in summary["undecodable_by_reason"].items():
        test.assertEqual(value(found, "ringtrack_undecodable_frames_total", reason=reason), count, reason)
    test.assertEqual(value(found, "ringtrack_untracked_fragments_total"), summary["untracked_fragments"])
    for kind, count in summary["tunnelled_by_kind"].items():
        test.assertEqual(value(found, "ringtrack_tunnelled_frames_total", kind=kind), count, kind)
    test.assertEqual(value(found, "ringtrack_connections_opened_total"), summary["connections"])
    for reason, field in (("expired", "expired"), ("evicted", "evictions"), ("reused", "reused")):
        test.assertEqual(value(found, "ringtrack_connections_removed_total", reason=reason), summary[field], reason)
    test.assertEqual(value(found, "ringtrack_connections_tracked"), summary["tracked"])
    test.assertEqual(value(found, "ringtrack_evictions_total"), summary["evictions"])
    test.assertEqual(value(found, "ringtrack_refused_connections_total"), summary["refused"])
    test.assertEqual(value(found, "ringtrack_handoff_drops_total"), summary.get("handoff_drops", 0))
    test.assertEqual(value(found, "ringtrack_reports_lost_total"), summary.get("reports_lost", 0))
    readers = {dict(labels)["reader"] for (name, labels) in found if name == "ringtrack_frames_total"}
    if live:
        test.assertEqual(readers, {str(i) for i in range(len(summary["readers"]))})
        for i, reader in enumerate(summary["readers"]):
            test.assertEqual(value(found, "ringtrack_frames_total", reader=str(i)), reader["frames_read"])
            test.assertEqual(value(found, "ringtrack_bytes_total", reader=str(i)), reader["bytes_read"])
            test.assertEqual(value(found, "ringtrack_kernel_packets_total", reader=str(i)), reader["kernel_packets"])
            test.assertEqual(value(found, "ringtrack_kernel_drops_total", reader=str(i)), reader["kernel_drops"])
    else:
        test.assertEqual(readers, {"0"})  # a file has one reader, and no kernel counters
        test.assertFalse([k for k in found if k[0].startswith("ringtrack_kernel_")])


def assert_rtt_histogram(test, found, rtts_us):
    """The histogram holds exactly these handshake RTTs (microseconds)."""
    test.assertEqual(value(found, "ringtrack_handshake_rtt_seconds_count"), len(rtts_us))
    test.assertAlmostEqual(value(found, "ringtrack_handshake_rtt_seconds_sum"), sum(rtts_us) / 1e6, places=6)
    for bound in RTT_BOUNDS_S:
        limit = float("inf") if bound == "+Inf" else float(bound) * 1e6
        test.assertEqual(value(found, "ringtrack_handshake_rtt_seconds_bucket", le=bound),
                         sum(1 for r in rtts_us if r <= limit + 1e-6), bound)
