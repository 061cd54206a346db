// Helpers shared by the loaders in src/data/ (not part of the public API).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "actlab/data/dataset.hpp"

namespace actlab::data::detail {

// The rows `idx` of `d`, in that order, with d's shape and metadata.
Dataset take_rows(const Dataset& d, const std::vector<std::uint32_t>& idx, const std::string& name);

// Shuffles `all` with the seed, keeps the first opt.limit_train rows (all if
// 0) and moves the last round(n * val_fraction) of them into val.
void split_train_val(const Dataset& all, const LoadOptions& opt, Dataset& train, Dataset& val);

// The first `limit` rows (all if 0 or larger than the set).
void limit_rows(Dataset& d, std::size_t limit);

// Shortest decimal text of v that reads back exactly, for messages.
std::string num(double v);

// Rejects option values no loader can honour (UsageError naming the option).
void check_options(const LoadOptions& opt);

}  // namespace actlab::data::detail
