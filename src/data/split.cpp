// Row selection, the validation split and option checks shared by loaders.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>

#include "actlab/core/error.hpp"
#include "src/data/internal.hpp"
#include "src/data/rng.hpp"

namespace actlab::data::detail {

// Shortest text that reads back as `v` (std::to_string prints 0.000000).
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  for (int prec = 1; prec < 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v || v != v) break;
  }
  return buf;
}

Dataset take_rows(const Dataset& d, const std::vector<std::uint32_t>& idx, const std::string& name) {
  Dataset out;
  out.name = name;
  out.features = d.features;
  out.classes = d.classes;
  out.channels = d.channels;
  out.height = d.height;
  out.width = d.width;
  out.rows = idx.size();
  out.x.resize(idx.size() * d.features);
  out.y.resize(idx.size());
  for (std::size_t i = 0; i < idx.size(); ++i) {
    std::memcpy(out.x.data() + i * d.features, d.x.data() + std::size_t{idx[i]} * d.features,
                d.features * sizeof(float));
    out.y[i] = d.y[idx[i]];
  }
  return out;
}

void limit_rows(Dataset& d, std::size_t limit) {
  if (limit == 0 || limit >= d.rows) return;
  d.rows = limit;
  d.x.resize(limit * d.features);
  d.y.resize(limit);
}

void split_train_val(const Dataset& all, const LoadOptions& opt, Dataset& train, Dataset& val) {
  std::vector<std::uint32_t> order(all.rows);
  std::iota(order.begin(), order.end(), 0u);
  Rng rng(mix(opt.seed, 0x5b117));  // the split's own stream
  shuffle(order, rng);
  if (opt.limit_train && opt.limit_train < order.size()) order.resize(opt.limit_train);
  const auto nval = static_cast<std::size_t>(std::llround(double(order.size()) * opt.val_fraction));
  if (nval >= order.size())
    throw UsageError("--val-fraction " + num(opt.val_fraction) + " of " + std::to_string(order.size()) +
                     " training rows leaves no rows to train on; lower it or raise --limit-train");
  std::vector<std::uint32_t> vidx(order.end() - static_cast<std::ptrdiff_t>(nval), order.end());
  order.resize(order.size() - nval);
  train = take_rows(all, order, all.name);
  val = take_rows(all, vidx, all.name);
}

void check_options(const LoadOptions& opt) {
  if (!(opt.val_fraction >= 0.0 && opt.val_fraction < 1.0))
    throw UsageError("--val-fraction " + num(opt.val_fraction) +
                     " is outside [0, 1); use e.g. 0.1 (or 0 for no validation set)");
  if (!(opt.noise >= 0.0 && std::isfinite(opt.noise)))
    throw UsageError("--noise " + num(opt.noise) +
                     " must be a finite value >= 0 (standard deviation of the Gaussian noise; e.g. 0.1)");
  // uint32 row indices (Batcher) and a sane memory bound for generated sets.
  if (opt.synthetic_rows < 4 || opt.synthetic_rows > (std::size_t{1} << 26))
    throw UsageError("--rows " + std::to_string(opt.synthetic_rows) +
                     " is outside [4, 67108864]; use e.g. 2000");
}

}  // namespace actlab::data::detail
