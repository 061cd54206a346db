// CSV files with a header row: one label column, every other column a float
// feature (see include/actlab/data/tabular.hpp for the accepted syntax).
// Nothing is sized from a count in the file: rows and fields grow with the
// text actually present, at most kMaxColumns fields are stored per row, and
// the reservation for the features is bounded by the bytes left.
#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "actlab/core/error.hpp"
#include "actlab/data/tabular.hpp"
#include "src/data/internal.hpp"

namespace actlab::data {
namespace {

using detail::show;

constexpr const char* kExample = "csv:train.csv,label=species,test=test.csv (or csv:data.csv,test_fraction=0.25)";
// More columns than any real table has; bounds the per-row bookkeeping.
constexpr std::size_t kMaxColumns = std::size_t{1} << 20;
// Batcher and take_rows index rows with uint32.
constexpr std::size_t kMaxRows = std::size_t{UINT32_MAX} / 2;

struct Field {
  std::string text;
  bool quoted = false;
};

// Reads records (rows) from the text: RFC 4180 quoting, LF / CRLF / CR line
// ends, spaces and tabs around fields ignored, blank lines skipped.
class Reader {
 public:
  Reader(std::string_view t, std::string who) : t_(t), who_(std::move(who)) {
    if (t_.substr(0, 3) == "\xef\xbb\xbf") pos_ = 3;  // UTF-8 byte-order mark
  }

  // The next non-blank record into `f` (at most `keep` fields stored, all
  // counted in `n`); its first line in `line`. False at the end.
  bool next(std::vector<Field>& f, std::size_t keep, std::size_t& n, std::size_t& line) {
    for (;;) {
      if (pos_ >= t_.size()) return false;
      line = line_;
      n = 0;
      for (;;) {
        Field& fd = n < keep ? slot(f, n) : spare_;
        ++n;
        field(fd, n);
        if (pos_ >= t_.size()) break;
        if (t_[pos_] == ',') {
          ++pos_;
          continue;
        }
        newline();
        break;
      }
      if (n == 1 && !f[0].quoted && f[0].text.empty()) continue;  // blank line
      return true;
    }
  }

  bool at_end() const { return pos_ >= t_.size(); }
  std::size_t pos() const { return pos_; }

 private:
  static Field& slot(std::vector<Field>& f, std::size_t i) {
    if (i == f.size()) f.emplace_back();
    return f[i];
  }
  static bool blank(char c) { return c == ' ' || c == '\t'; }

  // At a line end (\n, \r\n or \r): consumes it.
  void newline() {
    if (t_[pos_] == '\r' && pos_ + 1 < t_.size() && t_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  void field(Field& fd, std::size_t col) {
    fd.text.clear();
    while (pos_ < t_.size() && blank(t_[pos_])) ++pos_;
    if (pos_ < t_.size() && t_[pos_] == '"') {
      fd.quoted = true;
      const std::size_t qline = line_;
      ++pos_;
      for (;;) {
        const std::size_t q = t_.find('"', pos_);
        if (q == std::string_view::npos)
          throw DataError(who_ + ", row " + std::to_string(qline) + ", column " + std::to_string(col) +
                          ": the quoted field is never closed (a missing \"); a quote inside a quoted "
                          "field is written twice (\"\")");
        const std::string_view part = t_.substr(pos_, q - pos_);
        for (std::size_t i = 0; i < part.size(); ++i)  // line ends inside the quotes still count
          if (part[i] == '\n' || (part[i] == '\r' && (i + 1 == part.size() || part[i + 1] != '\n'))) ++line_;
        fd.text.append(part);
        pos_ = q + 1;
        if (pos_ < t_.size() && t_[pos_] == '"') {  // "" inside quotes
          fd.text += '"';
          ++pos_;
          continue;
        }
        break;
      }
      while (pos_ < t_.size() && blank(t_[pos_])) ++pos_;
      if (pos_ < t_.size() && t_[pos_] != ',' && t_[pos_] != '\n' && t_[pos_] != '\r')
        throw DataError(who_ + ", row " + std::to_string(line_) + ", column " + std::to_string(col) +
                        ": '" + show(t_.substr(pos_, 1)) +
                        "' after the closing quote; a quote inside a quoted field is written twice (\"\")");
      return;
    }
    fd.quoted = false;
    const std::size_t start = pos_;
    while (pos_ < t_.size() && t_[pos_] != ',' && t_[pos_] != '\n' && t_[pos_] != '\r') ++pos_;
    std::size_t end = pos_;
    while (end > start && blank(t_[end - 1])) --end;
    fd.text.assign(t_.substr(start, end - start));
  }

  std::string_view t_;
  std::string who_;
  std::size_t pos_ = 0, line_ = 1;
  Field spare_;  // fields beyond `keep` (a ragged row is only counted)
};

// The smallest power of ten of |value| is negative: an out-of-range result
// of from_chars that is an underflow (to 0), not an overflow.
bool underflows(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  long long lead = 0, zeros = 0;  // integer digits after leading zeros; zeros after the point
  bool seen = false, point = false;
  for (; i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      point = true;
      continue;
    }
    if (s[i] != '0') seen = true;
    if (!point && seen) ++lead;
    if (point && !seen) ++zeros;
  }
  long long exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    const bool neg = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i)
      exp = std::min<long long>(exp * 10 + (s[i] - '0'), 1'000'000'000);
    if (neg) exp = -exp;
  }
  const long long mag = lead > 0 ? lead - 1 + exp : -(zeros + 1) + exp;
  return mag < 0;
}

// One table: header, features and labels (still as texts).
struct Table {
  std::string name;                  // the path
  std::string who;                   // "CSV file 'x.csv'"
  std::vector<std::string> columns;  // every header name, label included
  std::size_t label_col = 0, header_line = 1;
  std::size_t rows = 0, features = 0;
  std::vector<float> x;
  std::vector<std::uint32_t> label;        // per row: index into texts
  std::vector<std::string> texts;          // distinct labels, by first appearance
  std::vector<std::size_t> text_line;      // the row where each first appears
};

std::string col_name(const Table& t, std::size_t c) {
  return "column " + std::to_string(c + 1) + " ('" + show(t.columns[c]) + "')";
}

Table read_table(std::string_view text, const std::string& name, const std::string& what,
                 const std::string& label) {
  Table t;
  t.name = name;
  t.who = what + " '" + name + "'";
  if (text.substr(0, 2) == "\xff\xfe" || text.substr(0, 2) == "\xfe\xff")
    throw DataError(t.who + " is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8");
  Reader rd(text, t.who);
  std::vector<Field> f;
  std::size_t n = 0, line = 0;
  if (!rd.next(f, kMaxColumns + 1, n, line))
    throw DataError(t.who + " is empty; expected a header row (column names) and data rows");
  if (n > kMaxColumns)
    throw DataError(t.who + ": its header (row " + std::to_string(line) + ") has more than " +
                    std::to_string(kMaxColumns) + " columns; is it a CSV file?");
  t.header_line = line;
  std::map<std::string, std::size_t> seen;
  bool found = false;
  for (std::size_t c = 0; c < n; ++c) {
    t.columns.push_back(f[c].text);
    const auto [it, fresh] = seen.emplace(f[c].text, c);
    if (!fresh)
      throw DataError(t.who + ": the header (row " + std::to_string(line) + ") names column " +
                      std::to_string(it->second + 1) + " and column " + std::to_string(c + 1) + " '" +
                      show(f[c].text) + "'; column names must be unique");
    if (f[c].text == label) t.label_col = c, found = true;
  }
  if (!found) {
    std::string list;
    for (std::size_t c = 0; c < n && c < 12; ++c) list += (c ? ", '" : "'") + show(t.columns[c]) + "'";
    if (n > 12) list += ", ...";
    throw DataError(t.who + " has no column named '" + show(label) + "' (its header, row " +
                    std::to_string(line) + ", names " + list +
                    "); name the label column with csv:PATH,label=NAME");
  }
  if (n < 2)
    throw DataError(t.who + " has only the label column '" + show(label) +
                    "'; it needs at least one feature column");
  t.features = n - 1;

  // A valid data row takes at least 2n - 1 bytes (n non-empty cells, n - 1
  // commas), which bounds the reservation whatever the text holds.
  const std::size_t left = text.size() - rd.pos();
  const std::size_t newlines = static_cast<std::size_t>(std::count(text.begin() + rd.pos(), text.end(), '\n'));
  const std::size_t rows_guess = std::min({newlines + 1, left / (2 * n - 1) + 1, kMaxRows});
  t.x.reserve(rows_guess * t.features);
  t.label.reserve(rows_guess);

  std::unordered_map<std::string, std::uint32_t> dict;
  const std::size_t want = t.columns.size();
  std::size_t got = 0;
  while (rd.next(f, want, got, line)) {
    if (got != want)
      throw DataError(t.who + ", row " + std::to_string(line) + ": " + std::to_string(got) +
                      (got == 1 ? " field" : " fields") + ", expected " + std::to_string(want) +
                      " as in the header (row " + std::to_string(t.header_line) + ")" +
                      (got > want ? "; a value containing a comma must be quoted (\"a,b\")"
                                  : "; every row needs a value for every column"));
    if (t.rows == kMaxRows)
      throw DataError(t.who + " has more than " + std::to_string(kMaxRows) + " rows, more than supported");
    for (std::size_t c = 0; c < want; ++c) {
      const std::string& s = f[c].text;
      if (c == t.label_col) {
        if (s.empty())
          throw DataError(t.who + ", row " + std::to_string(line) + ", " + col_name(t, c) +
                          ": the label is empty; every row needs a label");
        auto [it, fresh] = dict.emplace(s, static_cast<std::uint32_t>(t.texts.size()));
        if (fresh) {
          if (t.texts.size() == static_cast<std::size_t>(kMaxClasses))
            throw DataError(t.who + ", row " + std::to_string(line) + ": more than " +
                            std::to_string(kMaxClasses) + " distinct labels in " + col_name(t, c) +
                            "; is it the class column? (choose another with csv:PATH,label=NAME)");
          t.texts.push_back(s);
          t.text_line.push_back(line);
        }
        t.label.push_back(it->second);
        continue;
      }
      auto bad = [&](const std::string& why) {
        return DataError(t.who + ", row " + std::to_string(line) + ", " + col_name(t, c) + ": " + why);
      };
      if (s.empty()) throw bad("the cell is empty; every feature needs a number");
      std::string_view v = s;
      if (v.size() > 1 && v[0] == '+' && v[1] != '-' && v[1] != '+') v.remove_prefix(1);
      double d = 0;
      const auto r = std::from_chars(v.data(), v.data() + v.size(), d);
      if (r.ptr != v.data() + v.size() || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range))
        throw bad("'" + show(s) + "' is not a number; every column but '" + show(label) + "' is a feature");
      if (r.ec == std::errc::result_out_of_range) {
        if (!underflows(v)) throw bad("'" + show(s) + "' is outside the float32 range (about +-3.4e38)");
        d = 0;
      }
      if (!std::isfinite(d))
        throw bad("'" + show(s) + "' is not a finite number (NaN and infinity are not accepted as features)");
      if (std::fabs(d) > std::numeric_limits<float>::max())
        throw bad("'" + show(s) + "' is outside the float32 range (about +-3.4e38)");
      t.x.push_back(static_cast<float>(d));
    }
    ++t.rows;
  }
  if (t.rows == 0)
    throw DataError(t.who + " has a header (row " + std::to_string(t.header_line) + ") but no data rows");
  return t;
}

bool digits_only(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Dataset to_dataset(Table& t, const std::vector<std::int32_t>& cls, int classes, const std::string& name) {
  Dataset d;
  d.name = name;
  d.rows = t.rows;
  d.features = t.features;
  d.classes = classes;
  d.x = std::move(t.x);
  d.y.resize(t.rows);
  for (std::size_t i = 0; i < t.rows; ++i) d.y[i] = cls[t.label[i]];
  return d;
}

// Classes for the labels of `train` (and `test`): integers when every label
// of both is a non-negative decimal integer, else names in sorted order.
void resolve(Table& train, Table* test, const std::string& label, Dataset& dtrain, Dataset* dtest,
             const std::string& name) {
  bool integer = std::all_of(train.texts.begin(), train.texts.end(), digits_only);
  if (test) integer = integer && std::all_of(test->texts.begin(), test->texts.end(), digits_only);
  std::vector<std::int32_t> ctrain(train.texts.size()), ctest(test ? test->texts.size() : 0);
  int classes = 0;
  if (integer) {
    auto value = [&](const Table& t, std::size_t i) {
      const std::string& s = t.texts[i];
      std::uint64_t v = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec != std::errc() || v >= static_cast<std::uint64_t>(kMaxClasses))
        throw DataError(t.who + ", row " + std::to_string(t.text_line[i]) + ", " + col_name(t, t.label_col) +
                        ": label " + show(s) + " is not below " + std::to_string(kMaxClasses) +
                        "; integer labels are class indices 0, 1, ... (write names to number them in sorted order)");
      return static_cast<std::int32_t>(v);
    };
    for (std::size_t i = 0; i < ctrain.size(); ++i) classes = std::max(classes, (ctrain[i] = value(train, i)) + 1);
    for (std::size_t i = 0; i < ctest.size(); ++i) classes = std::max(classes, (ctest[i] = value(*test, i)) + 1);
  } else {
    std::vector<std::size_t> order(train.texts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return train.texts[a] < train.texts[b]; });
    std::map<std::string, std::int32_t> cls;
    for (std::size_t k = 0; k < order.size(); ++k) {
      ctrain[order[k]] = static_cast<std::int32_t>(k);
      cls.emplace(train.texts[order[k]], static_cast<std::int32_t>(k));
    }
    for (std::size_t i = 0; i < ctest.size(); ++i) {
      const auto it = cls.find(test->texts[i]);
      if (it == cls.end()) {
        std::string list;
        std::size_t k = 0;
        for (const auto& [s, c] : cls) {
          if (k++ == 8) {
            list += ", ...";
            break;
          }
          list += (k > 1 ? ", '" : "'") + show(s) + "'";
        }
        throw DataError(test->who + ", row " + std::to_string(test->text_line[i]) + ", " +
                        col_name(*test, test->label_col) + ": label '" + show(test->texts[i]) +
                        "' does not occur in the training file '" + train.name + "'" +
                        " (its labels: " + list + ")");
      }
      ctest[i] = it->second;
    }
    classes = static_cast<int>(cls.size());
  }
  if (std::set<std::int32_t>(ctrain.begin(), ctrain.end()).size() < 2)
    throw DataError(train.who + ": every row has the label '" + show(train.texts[0]) + "' in " +
                    col_name(train, train.label_col) +
                    "; a classifier needs at least 2 classes (is '" + show(label) + "' the class column?)");
  dtrain = to_dataset(train, ctrain, classes, name);
  if (test) *dtest = to_dataset(*test, ctest, classes, name);
}

void check_same_header(const Table& train, const Table& test) {
  const auto& a = train.columns;
  const auto& b = test.columns;
  auto list = [](const std::vector<std::string>& c) {
    std::string s;
    for (std::size_t i = 0; i < c.size() && i < 12; ++i) s += (i ? ", '" : "'") + show(c[i]) + "'";
    return s + (c.size() > 12 ? ", ..." : "");
  };
  if (a.size() != b.size())
    throw DataError(test.who + " has " + std::to_string(b.size()) + " columns (" + list(b) + "), the training " +
                    train.who + " " + std::to_string(a.size()) + " (" + list(a) +
                    "); the test file needs the same header");
  for (std::size_t c = 0; c < a.size(); ++c)
    if (a[c] != b[c]) {
      std::vector<std::string> sa = a, sb = b;
      std::sort(sa.begin(), sa.end());
      std::sort(sb.begin(), sb.end());
      throw DataError(test.who + ": column " + std::to_string(c + 1) + " is '" + show(b[c]) + "' but '" +
                      show(a[c]) + "' in the training " + train.who +
                      (sa == sb ? "; the same columns in another order: write them in the training file's order"
                                : "; the test file needs the same header"));
    }
}

std::string stem(const std::string& path) {
  std::string s = std::filesystem::path(path).stem().string();
  return s.empty() ? path : s;
}

}  // namespace

CsvSpec parse_csv_spec(const std::string& spec, const std::string& dir) {
  auto fail = [&](const std::string& why) {
    return UsageError("--data '" + spec + "': " + why + "; the form is csv:PATH[,label=NAME][,test=PATH2 | "
                      ",test_fraction=F], e.g. " + kExample);
  };
  if (!spec.starts_with("csv:")) throw fail("not a csv: spec");
  const std::vector<std::string> parts = detail::split_spec(std::string_view(spec).substr(4));
  CsvSpec s;
  if (parts[0].empty()) throw fail("no file named after 'csv:'");
  s.path = detail::in_dir(parts[0], dir);
  bool has_label = false, has_test = false, has_fraction = false;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    const std::size_t eq = p.find('=');
    if (p.empty()) throw fail("an empty item (two commas in a row, or a comma at the end)");
    if (eq == std::string::npos)
      throw fail("'" + p + "' is not KEY=VALUE (keys: label, test, test_fraction; file names cannot contain commas)");
    const std::string key = p.substr(0, eq), value = p.substr(eq + 1);
    bool* seen = key == "label" ? &has_label : key == "test" ? &has_test : key == "test_fraction" ? &has_fraction : nullptr;
    if (!seen) throw fail("unknown key '" + key + "' (keys: label, test, test_fraction)");
    if (*seen) throw fail("'" + key + "' given twice");
    *seen = true;
    if (value.empty()) throw fail("'" + key + "=' has no value");
    if (key == "label") s.label = value;
    if (key == "test") s.test = detail::in_dir(value, dir);
    if (key == "test_fraction") s.test_fraction = detail::parse_test_fraction(value, spec, kExample);
  }
  if (has_test && has_fraction) throw fail("give either test=PATH or test_fraction=F, not both");
  return s;
}

Dataset parse_csv(std::string_view text, const std::string& name, const std::string& label) {
  Table t = read_table(text, name, "CSV file", label);
  Dataset d;
  resolve(t, nullptr, label, d, nullptr, stem(name));
  return d;
}

void parse_csv_pair(std::string_view train_text, const std::string& train_name, std::string_view test_text,
                    const std::string& test_name, const std::string& label, Dataset& train, Dataset& test) {
  Table a = read_table(train_text, train_name, "CSV file", label);
  Table b = read_table(test_text, test_name, "test CSV file", label);
  check_same_header(a, b);
  Dataset da, db;
  resolve(a, &b, label, da, &db, stem(train_name));
  train = std::move(da);
  test = std::move(db);
}

Split load_csv(const CsvSpec& spec, const LoadOptions& opt) {
  detail::check_options(opt);
  Dataset all, test;
  {
    // The text of each file is released before the split copies rows.
    const std::string text = detail::InputFile(spec.path, "CSV file", kMaxCsvBytes).read_all();
    if (spec.test.empty()) {
      all = parse_csv(text, spec.path, spec.label);
    } else {
      const std::string test_text = detail::InputFile(spec.test, "test CSV file", kMaxCsvBytes).read_all();
      parse_csv_pair(text, spec.path, test_text, spec.test, spec.label, all, test);
    }
  }
  return detail::user_split(std::move(all), spec.test.empty() ? nullptr : &test, spec.test_fraction, opt);
}

}  // namespace actlab::data
