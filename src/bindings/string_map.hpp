#pragma once
// The (name, value) pairs of a JSON object of strings, as the calls that return one list them:
// in the document's order, repeats included (JavaScript keeps the last, as JSON.parse does).
#include <string_view>

#include "core/json_scan.hpp"

namespace ivschat::bindings {

template <typename Add>
void forEachStringMember(const JsonDocument& document, const JsonValue* map, Add add) {
  if (!map) return;
  for (const JsonValue& item : document.children(*map)) {
    if (item.kind == JsonKind::String) add(item.key, item.text);
  }
}

}  // namespace ivschat::bindings
