// Study files: expansion into cells, the file's axis order, every class of
// error (field and line named), overrides, RunSpec keys/hashes/validation,
// the digest, and the file reader's refusals.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "actlab/core/error.hpp"
#include "actlab/lab/study_file.hpp"

namespace fs = std::filesystem;
using namespace actlab;
using namespace actlab::lab;

namespace {

const char* kStudy = R"toml(title = "Two experiments"
seeds = 2

[defaults]
data = "spiral"
rows = 400
epochs = 3
model = "mlp:32,32"

[[experiment]]
name = "depth"
title = "Accuracy against depth"
claim = "vanishing"
[experiment.set]
optimizer = "sgd+momentum"
lr = 0.05
[experiment.axes]
depth = [2, 4]
act = ["sigmoid", "leaky_relu(negative_slope=0.1)", "relu"]
[experiment.params]
threshold = 0.05
layers = [1, 2]
nested = { a = "x" }

[[experiment]]
name = "lr-sweep"
seeds = 1
[experiment.axes]
lr = [0.1, 0.01]
batch = [32, 64]
)toml";

// Message of the UsageError that parsing `text` throws ("" if none).
std::string error_of(const std::string& text, const StudyOverrides& o = {}) {
  try {
    parse_study(text, "s.toml", o);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

// A one-experiment study with these lines in [experiment.set] / axes.
std::string with_set(const std::string& set_lines) {
  return "[[experiment]]\nname = \"e\"\n[experiment.set]\n" + set_lines + "\n";
}
std::string with_axes(const std::string& axes_lines) {
  return "[[experiment]]\nname = \"e\"\n[experiment.axes]\n" + axes_lines + "\n";
}

StudyOverrides only_lr_sweep(std::vector<std::pair<std::string, std::string>> set) {
  StudyOverrides o;
  o.set = std::move(set);
  o.only = {"lr-sweep"};
  return o;
}

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

}  // namespace

TEST(StudyFile, ExpandsExperimentsIntoCells) {
  const Study s = parse_study(kStudy, "s.toml");
  EXPECT_EQ(s.title, "Two experiments");
  EXPECT_EQ(s.source, "s.toml");
  ASSERT_EQ(s.experiments.size(), 2u);

  const Experiment& a = s.experiments[0];
  EXPECT_EQ(a.name, "depth");
  EXPECT_EQ(a.title, "Accuracy against depth");
  EXPECT_EQ(a.claim, "vanishing");
  EXPECT_EQ(a.seeds, 2);  // the study's
  EXPECT_EQ(a.line, 10);
  ASSERT_EQ(a.axes, (std::vector<std::string>{"depth", "act"}));
  EXPECT_EQ(a.labels[0], (std::vector<std::string>{"2", "4"}));
  EXPECT_EQ(a.labels[1], (std::vector<std::string>{"sigmoid", "leaky_relu(negative_slope=0.1)", "relu"}));
  ASSERT_EQ(a.cells.size(), 6u);
  // Row-major in axis order: the last axis varies fastest.
  EXPECT_EQ(a.cells[0].at, (std::map<std::string, std::string>{{"depth", "2"}, {"act", "sigmoid"}}));
  EXPECT_EQ(a.cells[1].at.at("act"), "leaky_relu(negative_slope=0.1)");
  EXPECT_EQ(a.cells[3].at, (std::map<std::string, std::string>{{"depth", "4"}, {"act", "sigmoid"}}));
  const RunSpec& c = a.cells[4].spec;  // depth 4, leaky_relu
  EXPECT_EQ(c.data.name, "spiral");
  EXPECT_EQ(c.data.synthetic_rows, 400u);
  EXPECT_EQ(c.epochs, 3);
  EXPECT_EQ(c.opt.total_epochs, 3);
  EXPECT_EQ(c.model.arch, "mlp");  // depth replaces the defaults' model
  EXPECT_EQ(c.model.widths, (std::vector<std::int64_t>(4, 64)));
  ASSERT_EQ(c.model.acts.size(), 1u);
  EXPECT_EQ(c.model.acts[0].act, act::Act::leaky_relu);
  EXPECT_FLOAT_EQ(c.model.acts[0].params.v[0], 0.1f);
  EXPECT_EQ(c.opt.name, "sgd");
  EXPECT_FLOAT_EQ(c.opt.momentum, 0.9f);
  EXPECT_FALSE(c.opt.nesterov);
  EXPECT_EQ(c.opt.lr, 0.05f);
  EXPECT_EQ(c.seed, 1u);  // seed k of a cell runs with seed k + 1
  EXPECT_EQ(a.params["threshold"], 0.05);
  EXPECT_EQ(a.params["layers"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(a.params["nested"]["a"], "x");

  const Experiment& b = s.experiments[1];
  EXPECT_EQ(b.title, "lr-sweep");  // defaults to the name
  EXPECT_EQ(b.seeds, 1);
  ASSERT_EQ(b.cells.size(), 4u);
  EXPECT_EQ(b.cells[2].at, (std::map<std::string, std::string>{{"lr", "0.01"}, {"batch", "32"}}));
  EXPECT_EQ(b.cells[2].spec.opt.lr, 0.01f);
  EXPECT_EQ(b.cells[2].spec.batch, 32);
  EXPECT_EQ(b.cells[2].spec.model.widths, (std::vector<std::int64_t>{32, 32}));  // the defaults' model
  EXPECT_EQ(b.cells[2].spec.opt.name, "adam");                                 // RunSpec's default
  EXPECT_TRUE(b.params.is_object() && b.params.empty());

  EXPECT_EQ(s.runs(), 6u * 2 + 4u * 1);
  std::set<std::string> keys;
  for (const auto& e : s.experiments)
    for (const auto& cell : e.cells) {
      EXPECT_NO_THROW(cell.spec.validate());
      keys.insert(cell.spec.key());
    }
  EXPECT_EQ(keys.size(), 10u);
}

TEST(StudyFile, AxisOrderFollowsTheFile) {
  // toml++ iterates keys sorted (act < lr < norm); the axes keep the file's order.
  const Study s = parse_study(with_axes("norm = [\"none\", \"layernorm\"]\nlr = [0.1, 0.2]\nact = [\"relu\", \"tanh\"]"),
                              "s.toml");
  EXPECT_EQ(s.experiments[0].axes, (std::vector<std::string>{"norm", "lr", "act"}));
  const Study inl = parse_study("[[experiment]]\nname = \"e\"\naxes = { width = [8, 16], act = [\"relu\", \"elu\"] }\n"
                                "set.depth = 2\n",
                                "s.toml");
  EXPECT_EQ(inl.experiments[0].axes, (std::vector<std::string>{"width", "act"}));
  EXPECT_EQ(inl.experiments[0].cells[2].spec.model.widths, (std::vector<std::int64_t>{16, 16}));
}

TEST(StudyFile, NoAxesIsOneCell) {
  const Study s = parse_study("seeds = 4\n[[experiment]]\nname = \"one\"\n[experiment.axes]\n", "s.toml");
  ASSERT_EQ(s.experiments[0].cells.size(), 1u);
  EXPECT_TRUE(s.experiments[0].cells[0].at.empty());
  EXPECT_EQ(s.runs(), 4u);
  const RunSpec& r = s.experiments[0].cells[0].spec;
  EXPECT_EQ(r.model.widths, (std::vector<std::int64_t>{128, 64}));  // the study default model
  EXPECT_EQ(r.data.name, "fashion-mnist");
}

TEST(StudyFile, EveryKeyIsAccepted) {
  const Study s = parse_study(with_set(R"toml(data = "moons"
data_dir = "/tmp/x"
train_size = 100
test_size = 50
rows = 300
noise = 0.25
data_seed = 7
model = "resmlp:depth=3,width=16"
activation = "gelu"
norm = "batchnorm"
residual = true
dropout = 0.2
prelu_per_channel = true
optimizer = "nesterov"
lr = 0.02
momentum = 0.8
weight_decay = 1e-4
schedule = "step"
step_epochs = 3
gamma = 0.5
init = "he"
head = "sigmoid_bce"
epochs = 7
max_steps = 50
batch = 16
clip_grad = 1.5
eval_every = 10
eval_rows = 200
probe_rows = 64
train_eval_rows = 500)toml"),
                              "s.toml");
  const RunSpec& r = s.experiments[0].cells[0].spec;
  EXPECT_EQ(r.data.name, "moons");
  EXPECT_EQ(r.data.dir, "/tmp/x");
  EXPECT_EQ(r.data.train_rows, 100u);
  EXPECT_EQ(r.data.test_rows, 50u);
  EXPECT_EQ(r.data.synthetic_rows, 300u);
  EXPECT_EQ(r.data.noise, 0.25);
  EXPECT_EQ(r.data.seed, 7u);
  EXPECT_EQ(r.model.arch, "resmlp");
  EXPECT_EQ(r.model.depth, 3);
  EXPECT_EQ(r.model.acts[0].act, act::Act::gelu);
  EXPECT_TRUE(r.model.batchnorm);
  EXPECT_FALSE(r.model.layernorm);
  EXPECT_TRUE(r.model.residual);
  EXPECT_EQ(r.model.dropout, 0.2f);
  EXPECT_TRUE(r.model.prelu_per_channel);
  EXPECT_EQ(r.model.init, nn::InitKind::he);
  EXPECT_EQ(r.model.head, nn::Head::sigmoid_bce);
  EXPECT_EQ(r.opt.name, "sgd");
  EXPECT_TRUE(r.opt.nesterov);
  EXPECT_EQ(r.opt.momentum, 0.8f);  // after the preset's 0.9
  EXPECT_EQ(r.opt.lr, 0.02f);
  EXPECT_EQ(r.opt.weight_decay, 1e-4f);
  EXPECT_EQ(r.opt.schedule, "step");
  EXPECT_EQ(r.opt.step_epochs, 3);
  EXPECT_EQ(r.opt.gamma, 0.5f);
  EXPECT_EQ(r.epochs, 7);
  EXPECT_EQ(r.max_steps, 50u);
  EXPECT_EQ(r.batch, 16);
  EXPECT_EQ(r.clip_grad, 1.5f);
  EXPECT_EQ(r.measure.eval_every, 10);
  EXPECT_EQ(r.measure.eval_rows, 200u);
  EXPECT_EQ(r.measure.probe_rows, 64u);
  EXPECT_EQ(r.measure.train_eval_rows, 500u);

  std::set<std::string> listed;
  for (const auto& [k, help] : study_keys()) {
    listed.insert(k);
    EXPECT_FALSE(help.empty()) << k;
  }
  for (const char* k : {"data", "data_dir", "train_size", "test_size", "rows", "noise", "data_seed", "model", "depth",
                        "width", "act", "norm", "residual", "dropout", "prelu_per_channel", "optimizer", "lr",
                        "momentum", "weight_decay", "schedule", "init", "head", "epochs", "batch", "clip_grad",
                        "eval_every", "eval_rows", "probe_rows", "train_eval_rows"})
    EXPECT_TRUE(listed.count(k)) << k;
}

TEST(StudyFile, ModelStructureKeys) {
  // depth 0 = linear; width alone resizes the model's mlp; per-layer lists.
  const Study s = parse_study(R"toml([defaults]
model = "mlp:10,20,30"
[[experiment]]
name = "a"
axes.depth = [0, 3]
set.width = 8
[[experiment]]
name = "b"
set.width = 12
axes.act = ["relu,tanh,elu", ["relu", "leaky_relu(negative_slope=0.2,)", "gelu"]]
)toml",
                              "s.toml");
  const auto& a = s.experiments[0].cells;
  EXPECT_EQ(a[0].spec.model.arch, "linear");
  EXPECT_EQ(a[1].spec.model.widths, (std::vector<std::int64_t>{8, 8, 8}));
  const auto& b = s.experiments[1];
  EXPECT_EQ(b.cells[0].spec.model.widths, (std::vector<std::int64_t>{12, 12, 12}));
  ASSERT_EQ(b.cells[1].spec.model.acts.size(), 3u);
  EXPECT_EQ(b.cells[1].spec.model.acts[1].act, act::Act::leaky_relu);
  EXPECT_EQ(b.cells[1].spec.model.acts[1].params.v[0], 0.2f);
  EXPECT_EQ(b.labels[0][1], "relu,leaky_relu(negative_slope=0.2,),gelu");  // as written, joined
  EXPECT_EQ(b.cells[0].spec.model.acts[2].act, act::Act::elu);
}

TEST(StudyFile, ErrorsNameTheFieldAndTheLine) {
  // Unknown key, with a suggestion.
  std::string e = error_of(with_set("lrr = 0.1"));
  EXPECT_HAS(e, "s.toml:4: field 'experiment[1].set.lrr': unknown key; did you mean 'lr'?");
  EXPECT_HAS(e, "accepted: data, data_dir");
  e = error_of("[defaults]\nepoch = 3\n[[experiment]]\nname = \"e\"\n");
  EXPECT_HAS(e, "s.toml:2: field 'defaults.epoch': unknown key; did you mean 'epochs'?");
  e = error_of("titel = \"x\"\n[[experiment]]\nname = \"e\"\n");
  EXPECT_HAS(e, "s.toml:1: field 'titel': unknown key; did you mean 'title'?");
  e = error_of("[[experiment]]\nname = \"e\"\nlr = 0.1\n");
  EXPECT_HAS(e, "s.toml:3: field 'experiment[1].lr': unknown key");
  EXPECT_HAS(e, "[experiment.set]");
  // Wrong type.
  e = error_of(with_set("epochs = \"3\""));
  EXPECT_HAS(e, "s.toml:4: field 'experiment[1].set.epochs': expected an integer, got a string");
  EXPECT_HAS(e, "[1, 10000]");
  e = error_of(with_set("epochs = 2.5"));
  EXPECT_HAS(e, "field 'experiment[1].set.epochs': expected an integer, got a float");
  e = error_of(with_set("residual = 1"));
  EXPECT_HAS(e, "field 'experiment[1].set.residual': expected a boolean, got an integer");
  // Out of range.
  e = error_of(with_set("epochs = 0"));
  EXPECT_HAS(e, "s.toml:4: field 'experiment[1].set.epochs': 0 is out of range; accepted: an integer in [1, 10000]");
  e = error_of(with_set("\n\ndropout = 1.0"));
  EXPECT_HAS(e, "s.toml:6: field 'experiment[1].set.dropout': 1 is out of range; accepted: a number in [0, 1)");
  e = error_of(with_set("lr = 0"));
  EXPECT_HAS(e, "field 'experiment[1].set.lr': 0 is out of range; accepted: a number > 0");
  e = error_of(with_set("lr = nan"));
  EXPECT_HAS(e, "field 'experiment[1].set.lr': nan is out of range");
  e = error_of(with_set("batch = 100000"));
  EXPECT_HAS(e, "field 'experiment[1].set.batch': 100000 is out of range");
  e = error_of(with_set("norm = \"groupnorm\""));
  EXPECT_HAS(e, "'groupnorm' is not accepted; accepted: one of: none, batchnorm, layernorm");
  e = error_of(with_set("optimizer = \"adagrad\""));
  EXPECT_HAS(e, "field 'experiment[1].set.optimizer': 'adagrad' is not accepted; accepted: one of: sgd, sgd+momentum");
  e = error_of(with_set("data = \"mnist\""));
  EXPECT_HAS(e, "field 'experiment[1].set.data': 'mnist' is not a data set");
  e = error_of(with_set("model = \"mlp:0\""));
  EXPECT_HAS(e, "field 'experiment[1].set.model': --model 'mlp:0'");
  e = error_of(with_set("init = \"glorot\""));
  EXPECT_HAS(e, "field 'experiment[1].set.init': --init: unknown initializer 'glorot'");
  e = error_of(with_set("head = \"hinge\""));
  EXPECT_HAS(e, "field 'experiment[1].set.head': --head 'hinge'");
  // Unknown activation or parameter: the catalogue's message behind file, line, field.
  e = error_of(with_set("act = \"relu6x\""));
  EXPECT_HAS(e, "s.toml:4: field 'experiment[1].set.act': activation 'relu6x' is not in the catalogue");
  e = error_of(with_axes("act = [\"relu\", \"leaky_relu(slope=0.1)\"]"));
  EXPECT_HAS(e, "s.toml:4: field 'experiment[1].axes.act':");
  EXPECT_HAS(e, "slope");
  e = error_of(with_set("act = [\"relu\", 3]"));
  EXPECT_HAS(e, "field 'experiment[1].set.act': a per-layer array holds strings, got an integer");
  // A per-layer list that does not fit the model, in the cell where it does not.
  e = error_of(with_axes("depth = [2, 3]\nact = [\"relu,tanh\"]"));
  EXPECT_HAS(e, "s.toml:5: field 'experiment[1].axes.act': in the cell depth=3, act=relu,tanh:");
  EXPECT_HAS(e, "has 2 entries");
  EXPECT_HAS(e, "3 hidden layers");
  // model and depth in one table; width on a cnn.
  e = error_of(with_set("model = \"mlp:8\"\ndepth = 3"));
  EXPECT_HAS(e, "s.toml:5: field 'experiment[1].set.depth': 'depth' and 'model' (s.toml:4) in one table");
  e = error_of(with_set("model = \"cnn\"\nwidth = 3"));
  EXPECT_HAS(e, "s.toml:5: field 'experiment[1].set.width': width sets the hidden widths of an mlp or resmlp");
  // act and its alias in one table.
  e = error_of(with_set("act = \"relu\"\nactivation = \"tanh\""));
  EXPECT_HAS(e, "field 'experiment[1].set.activation': sets 'act' again (s.toml:4, as 'experiment[1].set.act')");
  // Experiments: duplicate names, bad names, missing names, seeds.
  e = error_of("[[experiment]]\nname = \"a\"\n[[experiment]]\nname = \"a\"\n");
  EXPECT_HAS(e, "s.toml:3: field 'experiment[2]': the name 'a' is taken by the experiment at s.toml:1");
  e = error_of("[[experiment]]\nname = \"Big Name\"\n");
  EXPECT_HAS(e, "s.toml:2: field 'experiment[1].name': 'Big Name' is not a valid name");
  e = error_of("[[experiment]]\ntitle = \"x\"\n");
  EXPECT_HAS(e, "s.toml:1: field 'experiment[1]': the experiment has no name");
  e = error_of("seeds = 0\n[[experiment]]\nname = \"a\"\n");
  EXPECT_HAS(e, "s.toml:1: field 'seeds': 0 is out of range; accepted: an integer in [1, 1000]");
  e = error_of("[[experiment]]\nname = \"a\"\nseeds = 1001\n");
  EXPECT_HAS(e, "s.toml:3: field 'experiment[1].seeds': 1001 is out of range");
  e = error_of("title = \"x\"\n");
  EXPECT_HAS(e, "s.toml: the study has no experiment");
  e = error_of("[experiment]\nname = \"a\"\n");
  EXPECT_HAS(e, "field 'experiment': expected an array of tables, got a table; write each experiment as [[experiment]]");
  e = error_of("[[experiment]]\nname = \"a\"\nparams = 3\n");
  EXPECT_HAS(e, "s.toml:3: field 'experiment[1].params': expected a table, got an integer");
  // TOML syntax error: line and column.
  e = error_of("title = \"x\"\nseeds = [1, 2\n");
  EXPECT_HAS(e, "s.toml:2:15: TOML syntax error: Error while parsing array");
  e = error_of("a = 1\na = 2\n");
  EXPECT_HAS(e, "s.toml:2:");
}

TEST(StudyFile, AxisErrors) {
  std::string e = error_of(with_axes("depht = [2, 4]"));
  EXPECT_HAS(e, "s.toml:4: field 'experiment[1].axes.depht': unknown axis; did you mean 'depth'?");
  e = error_of(with_axes("colour = [1]"));
  EXPECT_HAS(e, "field 'experiment[1].axes.colour': unknown axis; an axis of another name takes tables");
  EXPECT_HAS(e, "accepted: data, data_dir,");
  e = error_of(with_axes("depth = 4"));
  EXPECT_HAS(e, "s.toml:4: field 'experiment[1].axes.depth': an axis takes an array of values, got an integer");
  e = error_of(with_axes("depth = []"));
  EXPECT_HAS(e, "field 'experiment[1].axes.depth': an empty axis");
  e = error_of(with_axes("depth = [\n  2,\n  4,\n  2,\n]"));
  EXPECT_HAS(e, "s.toml:7: field 'experiment[1].axes.depth': duplicate value 2 (also at s.toml:5)");
  e = error_of(with_axes("lr = [0.1, 0.1000000001]"));  // the same float32
  EXPECT_HAS(e, "duplicate value 0.1000000001 (also at s.toml:4)");
  e = error_of(with_axes("act = [\"relu,tanh\", [\"relu\", \"tanh\"]]"));
  EXPECT_HAS(e, "duplicate value relu,tanh");
  e = error_of(with_axes("depth = [2, \"4\"]"));
  EXPECT_HAS(e, "field 'experiment[1].axes.depth': expected an integer, got a string");
  e = error_of(with_axes("act = [\"relu\", \"nope\"]"));
  EXPECT_HAS(e, "field 'experiment[1].axes.act': in the cell act=nope: activation 'nope' is not in the catalogue");
  e = error_of(with_axes("model = [\"mlp:8\"]\ndepth = [1, 2]"));
  EXPECT_HAS(e, "s.toml:5: field 'experiment[1].axes.depth': the axes 'model' (s.toml:4) and 'depth' both set the model");
  // Values that differ as text but not as a run.
  e = error_of(with_axes("act = [\"relu\", \"relu()\"]"));
  EXPECT_HAS(e, "field 'experiment[1].axes': the cells act=relu and act=relu() run the same configuration");
}

TEST(StudyFile, Overrides) {
  StudyOverrides o;
  o.seeds = 5;
  o.set = {{"lr", "0.5"}, {"data", "moons"}, {"act", "relu,tanh"}, {"model", "mlp:8,8"}, {"residual", "true"}};
  o.only = {"lr-sweep"};
  EXPECT_HAS(error_of(kStudy, o), "--set 'lr=0.5': field 'lr': replaces the axis 'lr' of experiment 'lr-sweep'");
  o.set.erase(o.set.begin());
  const Study s = parse_study(kStudy, "s.toml", o);
  ASSERT_EQ(s.experiments.size(), 1u);
  const Experiment& e = s.experiments[0];
  EXPECT_EQ(e.name, "lr-sweep");
  EXPECT_EQ(e.seeds, 5);
  ASSERT_EQ(e.cells.size(), 4u);
  const RunSpec& r = e.cells[3].spec;
  EXPECT_EQ(r.data.name, "moons");  // a bare string
  EXPECT_EQ(r.model.widths, (std::vector<std::int64_t>{8, 8}));
  ASSERT_EQ(r.model.acts.size(), 2u);
  EXPECT_EQ(r.model.acts[1].act, act::Act::tanh);
  EXPECT_TRUE(r.model.residual);
  EXPECT_EQ(r.opt.lr, 0.01f);  // the axis
  EXPECT_EQ(r.data.synthetic_rows, 400u);  // the defaults

  // --set depth over an experiment whose axes hold activations: the model is
  // rebuilt with each cell's activation.
  StudyOverrides d;
  d.set = {{"depth", "5"}, {"width", "16"}};
  const Study ds = parse_study(with_axes("act = [\"relu\", \"tanh\"]"), "s.toml", d);
  EXPECT_EQ(ds.experiments[0].cells[1].spec.model.widths, (std::vector<std::int64_t>(5, 16)));
  EXPECT_EQ(ds.experiments[0].cells[1].spec.model.acts[0].act, act::Act::tanh);
  // ... and per-layer lists that no longer fit are refused, naming both.
  std::string err = error_of(with_axes("act = [\"relu,tanh\", \"tanh,relu\"]"), d);
  EXPECT_HAS(err, "s.toml:4: field 'experiment[1].axes.act': in the cell act=relu,tanh:");
  EXPECT_HAS(err, "(the model comes from depth, --set 'depth=5')");
  // The depth axis of 'depth' would be replaced by --set model.
  StudyOverrides m;
  m.set = {{"model", "cnn"}};
  EXPECT_HAS(error_of(kStudy, m), "replaces the axis 'depth' of experiment 'depth'");
  m.set = {{"model", "mlp:4"}, {"depth", "2"}};
  m.only = {"lr-sweep"};
  EXPECT_HAS(error_of(kStudy, m), "--set 'depth=2': field 'depth': 'depth' and 'model' (--set 'model=mlp:4') in one table");

  // Bad values and keys; unknown experiment names.
  StudyOverrides b;
  b.set = {{"lr", "fast"}};
  EXPECT_HAS(error_of(kStudy, b), "--set 'lr=fast': field 'lr': 'fast' is not a number; accepted: a number > 0");
  b.set = {{"epochs", "0"}};
  EXPECT_HAS(error_of(kStudy, b), "--set 'epochs=0': field 'epochs': 0 is out of range");
  b.set = {{"ephocs", "3"}};
  EXPECT_HAS(error_of(kStudy, b), "--set 'ephocs=3': field 'ephocs': unknown key; did you mean 'epochs'?");
  b.set = {{"act", "nope"}};
  EXPECT_HAS(error_of(kStudy, only_lr_sweep(b.set)), "activation 'nope' is not in the catalogue");
  b.set = {{"act", "\"elu\""}};  // a TOML string
  EXPECT_EQ(parse_study(kStudy, "s.toml", only_lr_sweep(b.set)).experiments[0].cells[0].spec.model.acts[0].act,
            act::Act::elu);
  b.set = {{"act", "[\"elu\", \"selu\"]"}};  // a TOML array
  EXPECT_EQ(parse_study(kStudy, "s.toml", only_lr_sweep(b.set)).experiments[0].cells[0].spec.model.acts[1].act,
            act::Act::selu);
  StudyOverrides u;
  u.only = {"depth", "nope"};
  EXPECT_HAS(error_of(kStudy, u), "--only 'nope': s.toml has no experiment of that name; its experiments: depth, lr-sweep");
  StudyOverrides neg;
  neg.seeds = -1;
  EXPECT_HAS(error_of(kStudy, neg), "--seeds -1 is out of range");
}

TEST(RunSpecKey, ExactAndCanonical) {
  RunSpec a;
  a.model = nn::parse_model_spec("mlp:16", "leaky_relu(negative_slope=0.1)");
  RunSpec b = a;
  EXPECT_EQ(a.key(), b.key());
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.hash(), a.hash());
  EXPECT_EQ(a.hash().size(), 16u);
  EXPECT_EQ(a.hash().find_first_not_of("0123456789abcdef"), std::string::npos);

  a.opt.lr = 0.1f;
  b.opt.lr = 0.1000001f;
  EXPECT_NE(a.key(), b.key());
  EXPECT_NE(a.hash(), b.hash());
  EXPECT_NE(a.key().find("\"lr\":0.1,"), std::string::npos) << a.key();  // the shortest exact text
  b.opt.lr = 0.1f;
  EXPECT_EQ(a.key(), b.key());

  b.model = nn::parse_model_spec("mlp:16", "leaky_relu(negative_slope=0.1000001)");
  EXPECT_NE(a.key(), b.key());
  b.model = nn::parse_model_spec("mlp:16", "leaky_relu(negative_slope=0.1)");
  EXPECT_EQ(a.key(), b.key());

  // Every other field reaches the key.
  const auto differs = [&](auto change) {
    RunSpec c = a;
    change(c);
    return c.key() != a.key();
  };
  EXPECT_TRUE(differs([](RunSpec& c) { c.data.name = "xor"; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.data.dir = "/d"; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.data.train_rows = 5; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.data.test_rows = 5; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.data.synthetic_rows = 5; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.data.noise = std::nextafter(0.1, 1.0); }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.data.seed = 2; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.model.dropout = 0.5f; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.model.head = nn::Head::softmax_mse; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.opt.momentum = 0.5f; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.opt.nesterov = true; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.opt.beta2 = 0.99f; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.opt.gamma = 0.5f; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.epochs = 2; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.batch = 2; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.max_steps = 7; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.clip_grad = 1e-30f; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.seed = 2; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.measure.eval_every = 1; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.measure.eval_rows = 1; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.measure.probe_rows = 1; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.measure.train_eval_rows = 1; }));
  EXPECT_TRUE(differs([](RunSpec& c) { c.opt.lr = std::numeric_limits<float>::quiet_NaN(); }));
  // Valid JSON.
  EXPECT_TRUE(nlohmann::json::accept(a.key()));
}

TEST(RunSpecValidate, NamesTheField) {
  RunSpec ok;
  ok.model = nn::parse_model_spec("mlp:8,8");
  EXPECT_NO_THROW(ok.validate());
  const auto error = [&](auto change) -> std::string {
    RunSpec c = ok;
    change(c);
    try {
      c.validate();
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_HAS(error([](RunSpec& c) { c.epochs = 0; }), "field 'epochs': 0 is out of range");
  EXPECT_HAS(error([](RunSpec& c) { c.batch = 0; }), "field 'batch'");
  EXPECT_HAS(error([](RunSpec& c) { c.opt.lr = 0; }), "field 'lr'");
  EXPECT_HAS(error([](RunSpec& c) { c.opt.lr = std::numeric_limits<float>::infinity(); }), "field 'lr'");
  EXPECT_HAS(error([](RunSpec& c) { c.opt.lr = std::numeric_limits<float>::quiet_NaN(); }), "field 'lr'");
  EXPECT_HAS(error([](RunSpec& c) { c.model.dropout = 1; }), "field 'dropout'");
  EXPECT_HAS(error([](RunSpec& c) { c.model.dropout = -0.1f; }), "field 'dropout'");
  EXPECT_HAS(error([](RunSpec& c) { c.clip_grad = -1; }), "field 'clip_grad'");
  EXPECT_HAS(error([](RunSpec& c) { c.data.name = "mnist"; }), "field 'data'");
  EXPECT_HAS(error([](RunSpec& c) { c.data.noise = -1; }), "field 'noise'");
  EXPECT_HAS(error([](RunSpec& c) { c.opt.name = "adagrad"; }), "field 'optimizer'");
  EXPECT_HAS(error([](RunSpec& c) { c.opt.schedule = "exp"; }), "field 'schedule'");
  EXPECT_HAS(error([](RunSpec& c) { c.model.batchnorm = c.model.layernorm = true; }), "field 'norm'");
  EXPECT_HAS(error([](RunSpec& c) { c.model.widths.clear(); }), "field 'model'");
  EXPECT_HAS(error([](RunSpec& c) { c.model.acts.assign(3, nn::ActSpec{}); }),
             "field 'act': 3 activations for a model with 2 hidden layers");
  EXPECT_HAS(error([](RunSpec& c) { c.model.acts.clear(); }), "field 'act'");
  EXPECT_HAS(error([](RunSpec& c) { c.data.dir = "\xff"; }), "field 'data_dir'");
  EXPECT_EQ(error([](RunSpec& c) { c.model.acts.assign(2, nn::ActSpec{}); }), "");
}

TEST(StudyFile, DigestChangesWithEverySetting) {
  const std::string d = parse_study(kStudy, "s.toml").digest();
  EXPECT_EQ(d.size(), 16u);
  EXPECT_EQ(d, parse_study(kStudy, "s.toml").digest());
  EXPECT_EQ(d, parse_study(kStudy, "other-name.toml").digest());
  const auto changed = [&](const std::string& from, const std::string& to) {
    std::string t = kStudy;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    t.replace(at, from.size(), to);
    return parse_study(t, "s.toml").digest();
  };
  EXPECT_NE(changed("rows = 400", "rows = 401"), d);
  EXPECT_NE(changed("lr = 0.05", "lr = 0.0500001"), d);
  EXPECT_NE(changed("threshold = 0.05", "threshold = 0.06"), d);
  EXPECT_NE(changed("claim = \"vanishing\"", "claim = \"other\""), d);
  EXPECT_NE(changed("name = \"lr-sweep\"", "name = \"lr-sweep2\""), d);
  EXPECT_NE(changed("seeds = 1", "seeds = 2"), d);
  EXPECT_EQ(changed("title = \"Accuracy against depth\"", "title = \"Another title\""), d);
  StudyOverrides o;
  o.set = {{"epochs", "4"}};
  EXPECT_NE(parse_study(kStudy, "s.toml", o).digest(), d);
}

TEST(StudyFile, LoadRefusesWhatIsNotAFile) {
  const fs::path dir = fs::path(ACTLAB_TEST_TMP) / "study_file";
  fs::create_directories(dir);
  const fs::path good = dir / "good.toml";
  std::ofstream(good) << kStudy;
  EXPECT_EQ(load_study(good.string()).experiments.size(), 2u);
  EXPECT_EQ(load_study(good.string()).source, good.string());

  const auto error = [](const std::string& p) -> std::string {
    try {
      load_study(p);
    } catch (const DataError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_HAS(error((dir / "missing.toml").string()), "missing.toml' cannot be opened");
  EXPECT_HAS(error(dir.string()), "is a directory");
  const fs::path fifo = dir / "fifo.toml";
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_HAS(error(fifo.string()), "fifo.toml' is a FIFO (named pipe), not a regular file");
  // A character device of the test's own (never a system path), where root may make one.
  const fs::path zero = dir / "zero.toml";
  fs::remove(zero);
  if (::mknod(zero.c_str(), S_IFCHR | 0600, ::makedev(1, 5)) == 0)
    EXPECT_HAS(error(zero.string()), "zero.toml' is a character device, not a regular file");
  else
    std::printf("note: mknod not permitted here (needs root); the character-device case is not run\n");
  const fs::path big = dir / "big.toml";
  std::ofstream(big) << std::string((1 << 20) + 1, '#');
  EXPECT_HAS(error(big.string()), "big.toml' is 1048577 bytes, more than the 1048576-byte limit");
  // Content errors name the file.
  const fs::path bad = dir / "bad.toml";
  std::ofstream(bad) << "[[experiment]]\nname = \"a\"\nseeds = 0\n";
  try {
    load_study(bad.string());
    ADD_FAILURE();
  } catch (const UsageError& e) {
    EXPECT_HAS(e.what(), bad.string() + ":3: field 'experiment[1].seeds'");
  }
}

TEST(StudyFile, TableAxesBundleSettingsUnderALabel) {
  const Study s = parse_study(R"toml([[experiment]]
name = "e"
[experiment.set]
depth = 3
[experiment.axes]
variant = [
  { label = "plain" },
  { label = "bn", norm = "batchnorm" },
  { label = "wide", width = 128, lr = 0.01 },
]
data = [
  { label = "moons", data = "moons", noise = 0.2 },
  { label = "spiral", data = "spiral", epochs = 4 },
]
)toml",
                              "s.toml");
  const Experiment& e = s.experiments[0];
  EXPECT_EQ(e.axes, (std::vector<std::string>{"variant", "data"}));
  EXPECT_EQ(e.labels[0], (std::vector<std::string>{"plain", "bn", "wide"}));
  ASSERT_EQ(e.cells.size(), 6u);
  EXPECT_EQ(e.cells[5].at, (std::map<std::string, std::string>{{"variant", "wide"}, {"data", "spiral"}}));
  const RunSpec& r = e.cells[5].spec;
  EXPECT_EQ(r.model.widths, (std::vector<std::int64_t>(3, 128)));  // the set's depth, the table's width
  EXPECT_EQ(r.opt.lr, 0.01f);
  EXPECT_EQ(r.data.name, "spiral");
  EXPECT_EQ(r.epochs, 4);
  EXPECT_TRUE(e.cells[2].spec.model.batchnorm);
  EXPECT_EQ(e.cells[0].spec.data.noise, 0.2);

  std::string err = error_of(with_axes("variant = [{ label = \"a\" }, { label = \"a\", lr = 0.1 }]"));
  EXPECT_HAS(err, "s.toml:4: field 'experiment[1].axes.variant': duplicate label a (also at s.toml:4)");
  err = error_of(with_axes("variant = [{ lr = 0.1 }]"));
  EXPECT_HAS(err, "field 'experiment[1].axes.variant': a table value of an axis needs label");
  err = error_of(with_axes("variant = [{ label = \"a\", lrr = 0.1 }]"));
  EXPECT_HAS(err, "field 'experiment[1].axes.variant.lrr': unknown key; did you mean 'lr'?");
  err = error_of(with_axes("variant = [{ label = \"a\", lr = -1 }]"));
  EXPECT_HAS(err, "field 'experiment[1].axes.variant.lr': -1 is out of range");
  err = error_of(with_axes("variant = [{ label = \"a\" }, 3]"));
  EXPECT_HAS(err, "the axis' values are tables (label and settings), this one is an integer");
  err = error_of(with_axes("variant = [{ label = \"a\", lr = 0.1 }]\nlr = [0.2, 0.3]"));
  EXPECT_HAS(err, "s.toml:5: field 'experiment[1].axes.lr': the axes 'variant' (s.toml:4) and 'lr' both set 'lr'");
  err = error_of(with_axes("variant = [{ label = \"a\", model = \"mlp:3\" }]\ndepth = [2, 3]"));
  EXPECT_HAS(err, "both set the model ('model' and 'depth')");
  err = error_of(with_axes("variant = [{ label = \"a\" }, { label = \"b\", lr = 0.001 }]"));
  EXPECT_HAS(err, "the cells variant=a and variant=b run the same configuration");  // 0.001 is the default
  err = error_of(with_axes("Variant = [{ label = \"a\" }]"));
  EXPECT_HAS(err, "'Variant' is not a valid axis name");

  // --set over a key that a table axis also sets: the --set wins; the cells
  // still differ in their other settings.
  StudyOverrides o;
  o.set = {{"epochs", "1"}};
  const Study q = parse_study(R"toml([[experiment]]
name = "e"
axes.data = [{ label = "m", data = "moons", epochs = 9 }, { label = "s", data = "spiral" }]
)toml",
                              "s.toml", o);
  EXPECT_EQ(q.experiments[0].cells[0].spec.epochs, 1);
}

TEST(StudyFile, ActsReplacesEveryActivationAxis) {
  StudyOverrides o;
  o.acts = "relu,leaky_relu(negative_slope=0.2,),gelu";
  const Study s = parse_study(kStudy, "s.toml", o);
  const Experiment& e = s.experiments[0];
  EXPECT_EQ(e.labels[1], (std::vector<std::string>{"relu", "leaky_relu(negative_slope=0.2,)", "gelu"}));
  ASSERT_EQ(e.cells.size(), 6u);
  EXPECT_EQ(e.cells[1].at.at("act"), "leaky_relu(negative_slope=0.2,)");
  EXPECT_EQ(e.cells[1].spec.model.acts[0].params.v[0], 0.2f);
  EXPECT_EQ(s.experiments[1].cells.size(), 4u);  // no act axis: unchanged
  o.acts = "relu,,tanh";
  EXPECT_HAS(error_of(kStudy, o), "--acts 'relu,,tanh': an empty entry");
  o.acts = "relu,nope";
  EXPECT_HAS(error_of(kStudy, o), "--acts 'relu,nope': activation 'nope' is not in the catalogue");
  o.acts = "relu,relu";
  EXPECT_HAS(error_of(kStudy, o), "'relu' twice");
}

TEST(StudyFile, TheShippedStudiesParse) {
  for (const char* name : {"claims.toml", "claims-thorough.toml"}) {
    const fs::path p = fs::path(ACTLAB_SOURCE_DIR) / "studies" / name;
    if (!fs::exists(p)) continue;
    SCOPED_TRACE(p.string());
    Study s;
    ASSERT_NO_THROW(s = load_study(p.string()));
    EXPECT_FALSE(s.experiments.empty());
    EXPECT_GT(s.runs(), 0u);
    for (const auto& e : s.experiments)
      for (const auto& c : e.cells) EXPECT_NO_THROW(c.spec.validate()) << e.name;
    StudyOverrides quick;
    quick.set = {{"epochs", "1"}, {"train_size", "500"}};
    quick.seeds = 1;
    EXPECT_NO_THROW(load_study(p.string(), quick));
  }
}
