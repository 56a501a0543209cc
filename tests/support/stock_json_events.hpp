#pragma once
// The oracle json_scan.hpp's value table is checked against (tests/cpp/json_scan_test.cpp,
// fuzz/json_scan.cpp): nlohmann/json's own SAX parser, untouched by nlohmann_tuning.hpp, its
// events written as tokens in document order:
//   null  true  false  int:<-?digits>  f:<number as written>  s:<text>  k:<key>
//   {<n>  [<n>  (a container and its item count)   }  ]
// Values nested deeper than kMaxRecordedDepth are not recorded, only counted in their container,
// as scanJson() records them.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/json_scan.hpp"

namespace ivschat::oracles {

inline std::string integerToken(bool negative, std::uint64_t magnitude) {
  return std::string("int:") + (negative ? "-" : "") + std::to_string(magnitude);
}

class StockJsonEvents : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<std::string> tokens;
  std::size_t errorOffset = 0;

  bool null() override { return put("null"); }
  bool boolean(bool v) override { return put(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override {
    return put(integerToken(v < 0, v < 0 ? ~static_cast<std::uint64_t>(v) + 1 : static_cast<std::uint64_t>(v)));
  }
  bool number_unsigned(number_unsigned_t v) override { return put(integerToken(false, v)); }
  bool number_float(number_float_t, const string_t& raw) override { return put("f:" + raw); }
  bool string(string_t& v) override { return put("s:" + v); }
  bool binary(binary_t&) override { return true; }
  // A key is not an item of its object: its value is.
  bool key(string_t& v) override {
    if (depth() <= kMaxRecordedDepth) tokens.push_back("k:" + v);
    return true;
  }
  bool start_object(std::size_t) override { return open("{"); }
  bool start_array(std::size_t) override { return open("["); }
  bool end_object() override { return close("}"); }
  bool end_array() override { return close("]"); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    errorOffset = position;
    return false;
  }

 private:
  struct Open {
    long token;  // index of its opening token, -1 when not recorded
    std::uint64_t items;
  };
  int depth() const { return static_cast<int>(open_.size()); }
  bool put(std::string token) {
    if (!open_.empty()) ++open_.back().items;
    if (depth() <= kMaxRecordedDepth) tokens.push_back(std::move(token));
    return true;
  }
  bool open(const char* token) {
    const bool recorded = depth() <= kMaxRecordedDepth;
    put(token);
    open_.push_back({recorded ? static_cast<long>(tokens.size()) - 1 : -1, 0});
    return true;
  }
  bool close(const char* token) {
    const Open closed = open_.back();
    open_.pop_back();
    if (closed.token >= 0) tokens[static_cast<std::size_t>(closed.token)] += std::to_string(closed.items);
    if (depth() <= kMaxRecordedDepth) tokens.push_back(token);
    return true;
  }
  std::vector<Open> open_;
};

}  // namespace ivschat::oracles
