// Tests a shard's tunnel book: what it learns is found by id and kind, GTP-U's two TEIDs
// merge into one entry, and a slot taken over by another tunnel leaves the first one's
// id and kind.
#include "flow/tunnel_book.hpp"

#include <gtest/gtest.h>

namespace ringtrack::testing {
namespace {

using decode::TunnelIdentity;
using decode::TunnelKind;

TunnelIdentity gtp(uint32_t id, unsigned direction, uint32_t teid) {
  TunnelIdentity t{};
  t.id = id;
  t.kind = TunnelKind::gtpu;
  t.key_kind = decode::TunnelKeyKind::teid;
  t.outer_family = 4;
  t.teid[direction] = teid;
  t.teid_seen = uint8_t(1u << direction);
  return t;
}

TEST(TunnelBook, LearnsAndMergesTheTwoTeids) {
  flow::TunnelBook book;
  EXPECT_EQ(book.find(5, TunnelKind::gtpu).outer_family, 0);  // unknown: id and kind only
  EXPECT_EQ(book.find(5, TunnelKind::gtpu).id, 5u);
  book.learn(gtp(5, 0, 0x100));
  book.learn(gtp(5, 1, 0x200));
  const TunnelIdentity t = book.find(5, TunnelKind::gtpu);
  EXPECT_EQ(t.outer_family, 4);
  EXPECT_EQ(t.teid_seen, 3);
  EXPECT_EQ(t.teid[0], 0x100u);
  EXPECT_EQ(t.teid[1], 0x200u);
  EXPECT_EQ(book.find(5, TunnelKind::vxlan).outer_family, 0);  // same id, other kind: not this one
}

TEST(TunnelBook, ANewerTunnelTakesTheSlot) {
  flow::TunnelBook book;
  book.learn(gtp(7, 0, 1));
  book.learn(gtp(7 + flow::TunnelBook::slots, 0, 2));
  EXPECT_EQ(book.find(7, TunnelKind::gtpu).outer_family, 0);
  EXPECT_EQ(book.find(7 + flow::TunnelBook::slots, TunnelKind::gtpu).teid[0], 2u);
}

}  // namespace
}  // namespace ringtrack::testing
