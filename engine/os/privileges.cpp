// Owns: the privilege-dropping calls.
// Does not own: the decision to drop.
#include "os/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "os/syscall_error.hpp"

namespace ringtrack::os {

void drop_privileges_to(const std::string& user) {
  errno = 0;
  const passwd* pw = ::getpwnam(user.c_str());
  if (pw == nullptr) throw SetupError("-Z " + user + ": no such user");
  const uid_t uid = pw->pw_uid;
  const gid_t gid = pw->pw_gid;
  if (::initgroups(user.c_str(), gid) != 0) throw syscall_error("initgroups(" + user + ")", errno);
  if (::setgid(gid) != 0) throw syscall_error("setgid(" + std::to_string(gid) + ")", errno);
  if (::setuid(uid) != 0) throw syscall_error("setuid(" + std::to_string(uid) + ")", errno);
  // Make sure there is no way back (a saved set-user-ID of 0 would allow one).
  if (uid != 0 && ::setuid(0) == 0) throw SetupError("-Z " + user + ": could regain root after setuid");
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

void drop_capabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3]{};
  // No libcap: the raw syscall, as glibc offers no wrapper.
  if (::syscall(SYS_capset, &header, none) != 0) throw syscall_error("capset(no capabilities)", errno);
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

}  // namespace ringtrack::os
