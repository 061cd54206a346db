// Checks shared by the subcommands that are not about activation names:
// numeric flag ranges (NaN and inf refused), duplicate activations in a
// list, flags that a resumed run cannot honour. Every message names the flag
// and the accepted range or the alternative.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "actlab/nn/layer.hpp"

namespace actlab::cli {

// A CLI11 check: the value is a finite number in [lo, hi] (open ends when
// lo_open / hi_open). CLI::Range lets NaN through (every comparison with
// NaN is false); this does not. The message is "--flag: 'nan' is not a
// finite number in [0, inf)".
CLI::Validator finite_in(double lo, double hi, bool lo_open = false, bool hi_open = false);

// Throws UsageError when two entries of an activation list are the same
// activation with the same parameters ("relu,relu"; "elu,elu(alpha=1)").
void reject_duplicate_acts(const std::vector<nn::ActSpec>& acts, const std::string& flag);

// With --resume the run continues with the checkpoint's settings: throws
// UsageError for the first of `flags` the user gave on the command line,
// naming the flag and the checkpoint.
void refuse_with_resume(const CLI::App& app, const std::vector<std::string>& flags,
                        const std::string& checkpoint);

}  // namespace actlab::cli
