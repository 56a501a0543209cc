#pragma once
// Test support: a value table (src/core/value_table.hpp) written from a scanned document, as
// js/value-table.js writes one from a JavaScript value. The helpers of core_results.hpp send
// every request of the fixtures through it, so that the C++ tests (and their sanitizer build)
// run the path the wasm modules run: a table, read by readValueTable.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_scan.hpp"
#include "core/value_table.hpp"

namespace ivschat::testing {

class ValueTableWriter {
 public:
  explicit ValueTableWriter(const JsonDocument& document) : document_(document) {}

  /// The table of the document's recorded values.
  std::string write() {
    value(document_.root(), 0);
    while (strings_.size() % 4 != 0) strings_.push_back('\0');
    std::string out = strings_;
    for (const std::uint32_t word : records_) append(out, word);
    append(out, static_cast<std::uint32_t>(records_.size() / 4));
    return out;
  }

 private:
  static void append(std::string& out, std::uint32_t word) {
    char bytes[4];
    std::memcpy(bytes, &word, 4);
    out.append(bytes, 4);
  }

  void record(std::uint32_t flags, std::string_view key, std::string_view text, std::uint64_t size) {
    strings_.append(key);
    strings_.append(text);
    records_.insert(records_.end(), {flags, static_cast<std::uint32_t>(key.size()),
                                     static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(size)});
  }

  void value(const JsonValue& v, int depth) {
    auto flags = static_cast<std::uint32_t>(v.kind);
    switch (v.kind) {
      case JsonKind::Boolean:
        record(flags | (v.boolean ? kTableTrue : 0), v.key, "", 0);
        return;
      case JsonKind::Number: {
        const std::string text = v.integer ? (v.negative ? "-" : "") + std::to_string(v.magnitude) : std::string(v.text);
        record(flags, v.key, text, 0);
        return;
      }
      case JsonKind::Array:
      case JsonKind::Object: {
        if (depth == kMaxRecordedDepth) {
          record(flags | kTableChildrenNotRecorded, v.key, "", v.size);
          return;
        }
        std::uint64_t count = 0;
        for (const JsonValue& child : document_.children(v)) {
          (void)child;
          ++count;
        }
        record(flags, v.key, "", count);
        for (const JsonValue& child : document_.children(v)) value(child, depth + 1);
        return;
      }
      case JsonKind::OversizedString:
      case JsonKind::OversizedArray:
      case JsonKind::OversizedObject:
        record(flags, v.key, "", v.size);
        return;
      default:  // Null, String, NonFinite, BigInt
        record(flags, v.key, v.text, 0);
        return;
    }
  }

  const JsonDocument& document_;
  std::string strings_;
  std::vector<std::uint32_t> records_;
};

/// The table js/value-table.js would write for the value `document` holds.
inline std::string valueTableOf(const JsonDocument& document) { return ValueTableWriter(document).write(); }

}  // namespace ivschat::testing
