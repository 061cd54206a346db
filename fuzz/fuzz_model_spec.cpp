// Fuzz target: the model-spec parser (nn::parse_model_spec, as --model and
// --acts reach it) and the canonical text form stored in checkpoints
// (nn::from_text). Input: line 1 the --model text, line 2 the --acts text
// (default "relu"). The whole input is also given to from_text.
// Accepted: UsageError from parse_model_spec, DataError from from_text.
// Invariants: an accepted spec has 1 or hidden_layers() activations, every
// one valid, and from_text(to_text(s)) gives back s exactly.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "actlab/act/catalogue.hpp"
#include "actlab/core/error.hpp"
#include "actlab/nn/model.hpp"

namespace {

void check(bool ok, const char* what, const std::string& text) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_model_spec: %s for '%s'\n", what, text.c_str());
  std::abort();
}

bool same(const actlab::nn::ModelSpec& a, const actlab::nn::ModelSpec& b) {
  if (a.arch != b.arch || a.widths != b.widths || a.depth != b.depth || a.acts.size() != b.acts.size() ||
      a.batchnorm != b.batchnorm || a.layernorm != b.layernorm || a.residual != b.residual ||
      a.dropout != b.dropout || a.init != b.init || a.prelu_per_channel != b.prelu_per_channel || a.head != b.head)
    return false;
  for (std::size_t i = 0; i < a.acts.size(); ++i)
    if (a.acts[i].act != b.acts[i].act ||
        std::memcmp(&a.acts[i].params, &b.acts[i].params, sizeof a.acts[i].params) != 0)
      return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace actlab;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto nl = text.find('\n');
  const std::string model = text.substr(0, nl);
  const std::string acts = nl == std::string::npos ? "relu" : text.substr(nl + 1);
  try {
    const nn::ModelSpec s = nn::parse_model_spec(model, acts);
    const int h = s.hidden_layers();
    // Every arch has hidden layers except `linear` (logistic regression), which has none.
    check(s.arch == "linear" ? h == 0 : h >= 1, "hidden layer count", text);
    check(s.acts.size() == 1 || static_cast<int>(s.acts.size()) == h, "activation count", text);
    for (const auto& a : s.acts) check(act::validate(a.act, a.params).empty(), "invalid activation accepted", text);
    const std::string canon = nn::to_text(s);
    nn::ModelSpec back;
    try {
      back = nn::from_text(canon);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_model_spec: from_text(to_text(s)) threw: %s\ncanonical: %s\n", e.what(),
                   canon.c_str());
      std::abort();
    }
    check(same(s, back), "to_text/from_text round trip differs", canon);
  } catch (const UsageError&) {
  }
  try {
    nn::from_text(text);
  } catch (const DataError&) {
    // A stored spec that does not parse is a data error, never a usage error
    // (finding F1 in docs/reliability.md, fixed in from_text).
  }
  return 0;
}
