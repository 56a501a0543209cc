#pragma once
// Shared helpers for data-driven tests: the fixtures under tests/fixtures are read by both
// GoogleTest and the node tests.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

namespace ivschat::testing {

inline nlohmann::json readFixture(const std::string& name) {
  const std::string path = std::string(IVSCHAT_FIXTURES_DIR) + "/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open fixture " + path);
  std::stringstream text;
  text << file.rdbuf();
  return nlohmann::json::parse(text.str());
}

/// Replaces every {"$repeat": S, "count": N} object by S repeated N times.
inline nlohmann::json expandFixture(const nlohmann::json& value) {
  if (value.is_object()) {
    if (value.size() == 2 && value.contains("$repeat") && value.contains("count")) {
      std::string out;
      const auto unit = value["$repeat"].get<std::string>();
      for (int i = 0; i < value["count"].get<int>(); ++i) out += unit;
      return out;
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& item : value.items()) out[item.key()] = expandFixture(item.value());
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(expandFixture(item));
    return out;
  }
  return value;
}

}  // namespace ivschat::testing
