// Runs the built `actlab` binary for CLI tests and captures its exit code,
// stdout and stderr. Header-only so every test folder can use it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace actlab::test {

struct CliResult {
  int rc = -1;
  std::string out, err;
};

// Quotes one argument for /bin/sh.
inline std::string sh_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A fresh scratch directory per test: <build>/tests/tmp/<name>.
inline std::filesystem::path scratch_dir(const std::string& name) {
  std::filesystem::path p = std::filesystem::path(ACTLAB_TEST_TMP) / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// `args` is a shell fragment appended to the binary's path (quote values
// with sh_quote). stdout/stderr go through files so large output is safe.
inline CliResult run_actlab(const std::string& args, const std::string& tag = "cli") {
  const auto dir = std::filesystem::path(ACTLAB_TEST_TMP) / "run";
  std::filesystem::create_directories(dir);
  const std::string base = (dir / (tag + "." + std::to_string(::getpid()))).string();
  const std::string cmd = std::string(ACTLAB_BIN) + " " + args + " >" + base + ".out 2>" + base +
                          ".err </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::filesystem::remove(base + ".out");
  std::filesystem::remove(base + ".err");
  return r;
}

}  // namespace actlab::test
