// Errors that reach the user. The CLI maps them to exit codes:
// UsageError -> 2 (bad flag, value or parameter), DataError -> 1 (a file or
// data set that cannot be read or is malformed). Messages name the file,
// flag or value, say what is wrong and how to fix it.
#pragma once

#include <stdexcept>
#include <string>

namespace actlab {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace actlab
