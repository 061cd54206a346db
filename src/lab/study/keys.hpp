// The settings keys of a study (internal to src/lab/study): the one list of
// every key a study file, an axis or `--set` accepts, in application order,
// with its type, range or choices, how it is applied to a RunSpec and how it
// is read back from one. study_keys() (docs, --help-keys), the study parser
// (type and range checks at the value's line) and RunSpec::validate() (the
// same ranges on a finished spec) are all generated from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actlab/lab/run.hpp"

namespace actlab::lab::study {

// A setting's value after type checking (TOML or --set text).
struct Value {
  enum class Type { integer, real, boolean, text, texts } type = Type::text;
  std::int64_t i = 0;
  double d = 0;
  bool b = false;
  std::string s;                  // text
  std::vector<std::string> list;  // texts (a per-layer activation array)
};

// What a key takes.
enum class Kind { integer, real, boolean, text, act };

// When it is applied: data keys, then the model structure (model, depth,
// width and act build spec.model together), then everything else in table
// order.
enum class Stage { data, structure, rest };

struct KeyDef {
  const char* name;
  Stage stage;
  Kind kind;
  std::int64_t ilo = 0, ihi = 0;  // integer: [ilo, ihi]
  double dlo = 0, dhi = 0;        // real: lo (open if dlo_open) .. hi (open if dhi_open); finite
  bool dlo_open = false, dhi_open = false;
  bool f32 = false;               // real stored as float (duplicates are compared as floats)
  const char* choices = nullptr;  // text: "a|b|c"
  const char* help = "";          // what it sets (study_keys appends range and default)
  // Extra check of a text value ("" = fine; else "<what is wrong>; <what is accepted>").
  std::string (*check)(const std::string&) = nullptr;
  // Sets the field(s) of the spec (null for the structure keys).
  void (*apply)(RunSpec&, const Value&) = nullptr;
  // Reads the field back, for RunSpec::validate() (null: checked structurally).
  std::optional<Value> (*get)(const RunSpec&) = nullptr;
};

// Every key, in application order.
const std::vector<KeyDef>& keys();
// By name ("activation" is an alias of "act"); nullptr if unknown.
const KeyDef* find_key(const std::string& name);
// "<what is wrong>; <what is accepted>" or "" when `v` is acceptable for `k`
// (the type must already match k.kind).
std::string check_value(const KeyDef& k, const Value& v);
// What a key accepts: "an integer in [1, 10000]", "one of: none, batchnorm, layernorm".
std::string accepted(const KeyDef& k);
// Short canonical print: 8, 0.001, true, relu, "relu,tanh" (a list joined by ',').
std::string label(const Value& v);
// As label(), but reals of f32 keys as the float the run will use: equal
// texts <=> the same setting.
std::string canonical(const KeyDef& k, const Value& v);

// The spec a study starts from: RunSpec{} with the model kDefaultModel.
inline constexpr const char* kDefaultModel = "mlp:128,64";
inline constexpr int kDefaultWidth = 64;  // `depth` without `width`
const RunSpec& default_spec();

// A problem with a finished spec: the study key naming the field and
// "<what is wrong>; <what is accepted>".
struct FieldError {
  std::string field, message;
};
// The checks of RunSpec::validate(): the table's ranges on every readable
// field, then the model structure, the optimizer, the strings.
std::optional<FieldError> check_spec(const RunSpec& s);

// Shortest text that reads back as the same float / double.
std::string shortest(float v);
std::string shortest(double v);
bool valid_utf8(const std::string& s);
// 16 lowercase hex digits of the FNV-1a-64 hash of `s` (run hashes, digests).
std::string hash16(const std::string& s);

}  // namespace actlab::lab::study
