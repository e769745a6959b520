// The os layer on its own: table memory, descriptors, interface and link-speed lookups,
// address resolution, thread names and pinning, and how its errors read. (EventFd is in
// wake_test, CPU lists in shard_plan_test.)
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "os/address_lookup.hpp"
#include "os/cpu_set.hpp"
#include "os/link_speed.hpp"
#include "os/network_interface.hpp"
#include "os/setup_error.hpp"
#include "os/syscall_error.hpp"
#include "os/thread_name.hpp"
#include "os/unique_fd.hpp"
#include "os/zeroed_memory.hpp"

namespace ringtrack {
namespace {

bool all_zero(const void* memory, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(memory);
  for (std::size_t i = 0; i < bytes; i += 4096)
    if (p[i] != 0) return false;
  return p[bytes - 1] == 0;
}

std::string what_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const SetupError& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

TEST(ZeroedMemory, SizesRoundToTheirPagesAndReadZero) {
  const os::ZeroedMemory small(1000);  // heap
  EXPECT_EQ(small.bytes(), 1000u);
  EXPECT_TRUE(all_zero(small.get(), small.bytes()));
  const os::ZeroedMemory middle(100'000);  // whole 4 KiB pages
  EXPECT_EQ(middle.bytes(), 102'400u);
  EXPECT_TRUE(all_zero(middle.get(), middle.bytes()));
  const os::ZeroedMemory large((5u << 20) + 1);  // whole 2 MiB pages
  EXPECT_EQ(large.bytes(), 6u << 20);
  EXPECT_TRUE(all_zero(large.get(), large.bytes()));
  const os::ZeroedMemory none(0);
  EXPECT_EQ(none.get(), nullptr);
  EXPECT_EQ(none.bytes(), 0u);
}

TEST(ZeroedMemory, MovingHandsTheMemoryOver) {
  os::ZeroedMemory from(3u << 20);
  void* const base = from.get();
  static_cast<char*>(base)[12345] = 7;
  os::ZeroedMemory to(std::move(from));
  EXPECT_EQ(from.get(), nullptr);
  EXPECT_EQ(from.bytes(), 0u);
  EXPECT_EQ(to.get(), base);
  EXPECT_EQ(static_cast<char*>(to.get())[12345], 7);
  os::ZeroedMemory other(1000);
  other = std::move(to);
  EXPECT_EQ(other.get(), base);
  EXPECT_EQ(other.bytes(), 4u << 20);
}

TEST(ZeroedMemory, MemoryThatCannotBeHadIsOneLineNamingTheCall) {
  // More than a 47-bit address space holds.
  const std::string what = what_of([] { os::ZeroedMemory too_much(uint64_t(1) << 60); });
  EXPECT_EQ(what.rfind("mmap(", 0), 0u) << what;
  EXPECT_NE(what.find("Cannot allocate memory"), std::string::npos) << what;
  EXPECT_EQ(what.find('\n'), std::string::npos) << what;
}

TEST(UniqueFd, ClosesOnceWhenItsOwnerGoes) {
  int raw = -1;
  {
    os::UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd);
    raw = fd.get();
    os::UniqueFd moved(std::move(fd));
    EXPECT_FALSE(fd);
    EXPECT_EQ(moved.get(), raw);
    EXPECT_NE(::fcntl(raw, F_GETFD), -1);
  }
  errno = 0;
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
  os::UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  raw = fd.get();
  fd.reset();
  EXPECT_FALSE(fd);
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
}

TEST(NetworkInterface, LoopbackIsFoundUpAndLoopback) {
  const os::InterfaceInfo lo = os::interface_info("lo");
  EXPECT_GT(lo.ifindex, 0);
  EXPECT_TRUE(lo.up);
  EXPECT_TRUE(lo.loopback);
}

TEST(NetworkInterface, AbsentInterfacesAreOneLineAndProbeAsGone) {
  EXPECT_EQ(what_of([] { os::interface_info("rtnosuch0"); }), "no such interface 'rtnosuch0' (see `ip link`)");
  EXPECT_EQ(what_of([] { os::interface_info("any"); }),
            "-i any is not supported: name one interface (see `ip link`)");
  EXPECT_EQ(os::probe_interface("rtnosuch0").ifindex, 0);
  EXPECT_EQ(os::probe_interface(std::string(40, 'x')).ifindex, 0);  // longer than IFNAMSIZ
}

TEST(LinkSpeed, UnknownSpeedsReadZero) {
  EXPECT_EQ(os::link_speed_mbps("lo"), 0u);  // the kernel refuses the read: no speed
  EXPECT_EQ(os::link_speed_mbps("rtnosuch0"), 0u);
  EXPECT_EQ(os::link_speed_mbps(""), 0u);
  EXPECT_EQ(os::link_speed_mbps("../../../proc/self/stat"), 0u);  // a name, not a path
}

TEST(AddressLookup, NumericAddressesComeBackAsTheyAre) {
  EXPECT_EQ(os::numeric_address_of("127.0.0.1", "4739", false), "127.0.0.1");
  EXPECT_EQ(os::numeric_address_of("::1", "4739", true), "::1");
  const std::string localhost = os::numeric_address_of("localhost", "4739", false);
  EXPECT_TRUE(localhost == "127.0.0.1" || localhost == "::1") << localhost;
}

TEST(AddressLookup, AFailedLookupNamesTheHostAndTheReason) {
  // A service name that does not exist fails without asking any name server.
  const std::string what = what_of([] { os::numeric_address_of("127.0.0.1", "no-such-service", false); });
  EXPECT_EQ(what.rfind("getaddrinfo(127.0.0.1): ", 0), 0u) << what;
  EXPECT_GT(what.size(), std::string("getaddrinfo(127.0.0.1): ").size()) << what;
}

std::string comm_of_calling_thread() {
  std::ifstream comm("/proc/self/task/" + std::to_string(::syscall(SYS_gettid)) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

TEST(ThreadName, NamesTheCallingThreadUpToFifteenBytes) {
  std::string short_name, long_name;
  std::thread([&] {
    os::name_current_thread("rt-test");
    short_name = comm_of_calling_thread();
    os::name_current_thread("ringtrack-reader-12345");
    long_name = comm_of_calling_thread();
  }).join();
  EXPECT_EQ(short_name, "rt-test");
  EXPECT_EQ(long_name, "ringtrack-reade");
}

TEST(CpuSet, PinningLeavesTheThreadOnOneCpu) {
  const std::vector<int> allowed = os::allowed_cpus();
  ASSERT_FALSE(allowed.empty());
  int cpus_after = 0;
  bool on_it = false;
  std::thread([&] {
    os::pin_current_thread(allowed.back());
    cpu_set_t set;
    CPU_ZERO(&set);
    ASSERT_EQ(::sched_getaffinity(0, sizeof set, &set), 0);
    cpus_after = CPU_COUNT(&set);
    on_it = CPU_ISSET(allowed.back(), &set);
  }).join();
  EXPECT_EQ(cpus_after, 1);
  EXPECT_TRUE(on_it);
  EXPECT_EQ(os::allowed_cpus(), allowed);  // the process's own set is untouched
}

TEST(CpuSet, PinningToAnAbsentCpuNamesTheCall) {
  std::string what;
  std::thread([&] { what = what_of([] { os::pin_current_thread(CPU_SETSIZE - 1); }); }).join();
  EXPECT_EQ(what, "sched_setaffinity(CPU " + std::to_string(CPU_SETSIZE - 1) + "): Invalid argument");
}

TEST(SyscallError, NamesTheCallTheErrorAndTheFix) {
  EXPECT_STREQ(os::syscall_error("setsockopt(PACKET_RX_RING) on eth0", ENOMEM).what(),
               "setsockopt(PACKET_RX_RING) on eth0: Cannot allocate memory");
  EXPECT_STREQ(os::syscall_error("socket(AF_PACKET)", EPERM, os::need_cap_net_raw_fix()).what(),
               "socket(AF_PACKET): Operation not permitted (capturing needs CAP_NET_RAW: run as root, or once as "
               "root: setcap cap_net_raw+ep \"$(command -v ringtrack)\")");
}

}  // namespace
}  // namespace ringtrack
