#include "kernel/exec.h"

#include <unistd.h>

#include <cerrno>

namespace detach {

Error exec_command(const std::vector<std::string>& argv) {
  if (argv.empty()) return Error{EINVAL, "execute", {}, "empty command"};
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  return Error{errno, "execute", argv[0], {}};
}

}  // namespace detach
