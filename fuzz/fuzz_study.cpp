// Fuzz target: study files (lab::parse_study: TOML, keys, axes, grids) and
// the command line's overrides. Input: TOML text; its comment lines
//   #set KEY=VALUE    a --set pair
//   #acts LIST        --acts
//   #only NAME        --only
//   #seeds N          --seeds
// (comments to TOML, so the rest of the text parses the same) feed the
// overrides.
// Accepted: UsageError. Anything else escaping parse_study is a finding.
// Invariants of an accepted study: every cell's spec passes validate(),
// its key is JSON and its hash 16 hex digits; an experiment has the product
// of its axes' sizes cells, each with one coordinate per axis; no two cells
// of an experiment share a key; runs() and digest() agree with the cells.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/lab/study_file.hpp"

namespace {

void check(bool ok, const char* what, const std::string& text) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_study: %s\ninput:\n%s\n", what, text.c_str());
  std::abort();
}

actlab::lab::StudyOverrides overrides_of(const std::string& text) {
  actlab::lab::StudyOverrides o;
  std::istringstream is(text);
  std::string line;
  while (std::getline(is, line)) {
    if (line.rfind("#set ", 0) == 0) {
      const std::string kv = line.substr(5);
      const auto eq = kv.find('=');
      if (eq != std::string::npos) o.set.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    } else if (line.rfind("#acts ", 0) == 0) {
      o.acts = line.substr(6);
    } else if (line.rfind("#only ", 0) == 0) {
      o.only.push_back(line.substr(6));
    } else if (line.rfind("#seeds ", 0) == 0) {
      o.seeds = std::atoi(line.substr(7, 6).c_str());
    }
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace actlab;
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (int with_overrides = 0; with_overrides < 2; ++with_overrides) {
    lab::Study s;
    try {
      s = lab::parse_study(text, "fuzz.toml", with_overrides ? overrides_of(text) : lab::StudyOverrides{});
    } catch (const UsageError&) {
      continue;
    }
    check(!s.experiments.empty(), "a study without experiments was accepted", text);
    std::size_t runs = 0;
    for (const auto& e : s.experiments) {
      check(e.axes.size() == e.labels.size(), "axes and labels differ in count", text);
      std::size_t cells = 1;
      for (const auto& l : e.labels) cells *= l.size();
      check(e.cells.size() == cells, "cells != product of the axes' sizes", text);
      check(e.seeds >= 1 && e.seeds <= 1000, "seeds out of range", text);
      std::set<std::string> keys;
      for (const auto& c : e.cells) {
        check(c.at.size() == e.axes.size(), "a cell without one coordinate per axis", text);
        try {
          c.spec.validate();
        } catch (const UsageError& x) {
          check(false, x.what(), text);
        }
        const std::string k = c.spec.key();
        check(nlohmann::json::accept(k), "a key that is not JSON", text);
        check(keys.insert(k).second, "two cells of one experiment share a key", text);
        const std::string h = c.spec.hash();
        check(h.size() == 16 && h.find_first_not_of("0123456789abcdef") == std::string::npos, "a bad hash", text);
      }
      runs += e.cells.size() * std::size_t(e.seeds);
    }
    check(s.runs() == runs, "runs() disagrees with the cells", text);
    const std::string d = s.digest();
    check(d.size() == 16 && d == s.digest(), "digest is not 16 stable hex digits", text);
  }
  return 0;
}
