// Study files: a study is a list of experiments; an experiment is a grid
// over axes x seeds, each grid point a fully specified RunSpec.
//
// Format: TOML (docs/lab.md documents every key). Sketch:
//
//   title = "My study"
//   seeds = 3                       # per grid point (default for experiments)
//   [defaults]                      # settings every experiment starts from
//   data = "fashion-mnist"
//   train_size = 6000
//   model = "mlp:128,64"
//   [[experiment]]
//   name = "depth"                  # [a-z0-9_-]{1,64}, unique
//   title = "Accuracy against depth"
//   claim = "vanishing"             # optional: a built-in claim analysis
//   seeds = 3                       # optional, overrides the study's
//   [experiment.set]                # optional settings of this experiment
//   optimizer = "sgd"
//   [experiment.axes]               # the grid; order of keys = order of axes
//   act = ["sigmoid", "tanh", "relu"]
//   depth = [2, 8, 16]
//   variant = [{ label = "plain" }, { label = "bn", norm = "batchnorm" }]
//   [experiment.params]             # optional parameters of the claim analysis
//   threshold = 0.05
//
// An axis is either a key with an array of what the key takes (its labels:
// the values as written, numbers in their shortest exact form, a per-layer
// array joined by ','), or any name ([a-z0-9_-]) with an array of tables,
// each a `label` and settings applied together. No two axes of an
// experiment may set the same key, nor `model` and `depth`.
//
// Precedence, lowest first: RunSpec{} with the model mlp:128,64, [defaults],
// [experiment.set], the grid point's axis values, the command line's --set.
// A later `model` drops the earlier `depth` and `width`; `model` and `depth`
// in one table is an error. Inside one run the settings are applied in the
// fixed order of study_keys() whatever their order in the file: the data
// keys, then the model structure (`depth` = an mlp of `depth` layers of
// `width` units, default 64, depth 0 = linear; else `model`, whose mlp or
// resmlp widths `width` replaces; then `act`), then everything else
// (`optimizer` before `momentum`, so a momentum overrides the preset's
// 0.9). Then opt.total_epochs = epochs, spec.seed = 1, and the whole spec is
// checked (RunSpec::validate's checks), so a per-layer activation list that
// does not fit the grid point's depth is an error naming the cell.
//
// Errors: UsageError "FILE:LINE: field 'experiment[2].axes.depth': <what is
// wrong>; <what is accepted>" (experiments counted from 1; a --set value is
// named "--set 'KEY=VALUE'"); TOML syntax errors "FILE:LINE:COLUMN: TOML
// syntax error: ...".
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "actlab/lab/run.hpp"

namespace actlab::lab {

// A grid point: its coordinates (axis name -> value label as written in the
// file, e.g. "act" -> "leaky_relu(negative_slope=0.1)", "depth" -> "8") and
// the configuration of its first seed; seed k (0-based) runs with
// spec.seed = k + 1.
struct Cell {
  std::map<std::string, std::string> at;
  RunSpec spec;
};

struct Experiment {
  std::string name, title, claim;  // title: the name if not given; claim: "" or a built-in analysis name
  int seeds = 3;
  std::vector<std::string> axes;                 // axis names, in file order ("activation" is "act")
  std::vector<std::vector<std::string>> labels;  // per axis, its value labels in file order
  std::vector<Cell> cells;                       // the grid, row-major in axis order (last axis fastest)
  nlohmann::json params = nlohmann::json::object();  // [experiment.params]
  int line = 0;                                  // where it starts in the file
};

struct Study {
  std::string title;
  std::string source;  // file name (or "<default claims study>")
  std::vector<Experiment> experiments;
  // 16 hex digits (FNV-1a 64) over each experiment's name, claim, seeds,
  // params, axes, labels and every cell's RunSpec::key(), titles left out:
  // identifies the study (shards, merges, caches).
  std::string digest() const;
  std::size_t runs() const;  // sum over experiments of cells x seeds
};

// Overrides from the command line, applied after the file:
struct StudyOverrides {
  int seeds = 0;                                     // > 0: every experiment's seeds (<= 1000)
  // --set KEY=VALUE: every experiment, after its axes. VALUE is a TOML value
  // (lr=0.01, act="relu", act=["relu","tanh"]); for string keys any other
  // text is the string itself (data=moons, model=mlp:64,64). The last --set
  // of a key wins. A --set of a value axis' key (or of model over a depth
  // axis, depth over a model axis) is an error: every cell would be alike.
  std::vector<std::pair<std::string, std::string>> set;
  // Run only these experiments (names; an unknown one is a UsageError listing
  // the study's). Value errors anywhere in the file are still reported.
  std::vector<std::string> only;
  // --acts: replaces the values of every experiment's `act` axis (comma list;
  // commas inside parentheses belong to an activation's parameters).
  std::string acts;
};

// Parses a study from TOML text. `source` names it in errors. Throws
// UsageError "FILE:LINE: field 'experiment.axes.depth': ..." naming the
// field, the line and what is accepted, for syntax errors, unknown keys,
// unknown axes or values, wrong types, and grids that no run can use
// (e.g. a per-layer activation list whose length does not match depth).
Study parse_study(const std::string& toml_text, const std::string& source,
                  const StudyOverrides& o = {});
// Reads FILE (regular file, at most 1 MiB) and parses it. A file that cannot
// be read (missing, a directory, a device or FIFO, too large) is a
// DataError naming it; its content, as parse_study.
Study load_study(const std::string& path, const StudyOverrides& o = {});

// The settings keys a study file accepts, with a one-line description each
// (docs and `actlab study --help-keys`).
const std::vector<std::pair<std::string, std::string>>& study_keys();

}  // namespace actlab::lab
