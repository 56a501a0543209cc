#pragma once
// Reading the chat-frame fixtures (tests/fixtures/chat-frames-*.json, also read by the JS tests),
// with member order kept: a built frame is compared byte for byte with the case's `frame`.
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core_results.hpp"
#include <string>

namespace ivschat::testing {

using nlohmann::ordered_json;

inline ordered_json loadOrderedFixture(const std::string& name) {
  std::ifstream in(std::string(IVSCHAT_FIXTURES_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + name);
  return ordered_json::parse(in);
}

// Expands the fixtures' generator objects {"$repeat": s, "count": n} into s repeated n times.
inline ordered_json expandOrdered(const ordered_json& value) {
  if (value.is_object()) {
    if (value.contains("$repeat")) {
      const std::string unit = value.at("$repeat").get<std::string>();
      const auto count = value.at("count").get<std::size_t>();
      std::string out;
      out.reserve(unit.size() * count);
      for (std::size_t i = 0; i < count; ++i) out += unit;
      return out;
    }
    ordered_json out = ordered_json::object();
    for (const auto& item : value.items()) out[item.key()] = expandOrdered(item.value());
    return out;
  }
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& item : value) out.push_back(expandOrdered(item));
    return out;
  }
  return value;
}

// The case's exact text, or its JSON value serialized compactly.
inline std::string caseText(const ordered_json& c, const char* textKey, const char* valueKey) {
  if (c.contains(textKey)) return c.at(textKey).get<std::string>();
  return expandOrdered(c.at(valueKey)).dump();
}

// An action case's request text with its requestId (default "req-1") among the members.
inline std::string actionRequestText(const ordered_json& c) {
  const std::string requestId = c.contains("requestId") ? expandOrdered(c.at("requestId")).dump() : "\"req-1\"";
  return withRequestId(caseText(c, "inputText", "input"), requestId);
}

}  // namespace ivschat::testing
