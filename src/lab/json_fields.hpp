// Reading numbers of the lab's stored records (run records, layer probes)
// back from JSON, with the checks every reader of a cached record applies:
// null is NaN (what the writers store for a non-finite value), anything
// else that is not a number, a fraction outside [0, 1] or a negative norm
// is a DataError naming the field.
#pragma once

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "actlab/core/error.hpp"

namespace actlab::lab::json_fields {

inline nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

inline double get(const nlohmann::json& j, const char* k) {
  if (!j.contains(k)) throw DataError(std::string("field '") + k + "' is missing");
  const nlohmann::json& v = j.at(k);
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!v.is_number()) throw DataError(std::string("field '") + k + "' is not a number");
  return v.get<double>();
}

// A fraction or an accuracy: in [0, 1] (or NaN).
inline double fraction(const nlohmann::json& j, const char* k) {
  const double v = get(j, k);
  if (!(v >= 0 && v <= 1) && !std::isnan(v))
    throw DataError(std::string("field '") + k + "' = " + std::to_string(v) + " is outside [0, 1]");
  return v;
}

inline double nonneg(const nlohmann::json& j, const char* k) {
  const double v = get(j, k);
  if (v < 0) throw DataError(std::string("field '") + k + "' = " + std::to_string(v) + " is negative");
  return v;
}

}  // namespace actlab::lab::json_fields
