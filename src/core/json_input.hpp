#pragma once
// Lossless JSON parsing for validation. nlohmann/json refuses text with lone UTF-16 surrogate
// escapes ("\ud800", which JSON.stringify emits for a lone surrogate in a JavaScript string) and
// raw ill-formed UTF-8. Refusing the whole document would lose which field was at fault, so this
// parser keeps such strings, with their bad parts as ill-formed UTF-8 bytes, for the validator
// to report as INVALID_UTF8 at the right field path.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ivschat {

struct JsonInput {
  nlohmann::json value;
  bool ok = false;
  std::string error;  // why the text is not JSON, when !ok
};

JsonInput parseJsonKeepingInvalidText(std::string_view text);

}  // namespace ivschat
