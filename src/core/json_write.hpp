#pragma once
// Writing JSON text by hand where the output's shape is fixed (request bodies, action frames,
// error bodies): byte-identical to what nlohmann's dump() and JavaScript's JSON.stringify write
// for the same members.
#include <string>
#include <string_view>

#include "core/json_scan.hpp"

namespace ivschat {

/// Appends `text` as a JSON string literal: `"` and `\` escaped, \b \f \n \r \t as such, other
/// characters below U+0020 as \u00xx (lower-case hex), everything else as is. `text` must be valid
/// UTF-8 (checked by the caller).
void appendJsonString(std::string& out, std::string_view text);

/// Appends a string map (an object whose values have been checked to be strings) as a JSON
/// object with its names in byte order; of repeated names the last one wins, as with
/// JSON.parse. The order makes equal maps give equal bytes (and signatures).
void appendSortedStringMap(std::string& out, const JsonDocument& document, const JsonValue& object);

}  // namespace ivschat
