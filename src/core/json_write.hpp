#pragma once
// Writing JSON text by hand where the output shape is fixed (request bodies, frames): faster than
// building an nlohmann document to dump it, and byte-identical to what nlohmann's dump() and
// JavaScript's JSON.stringify write for the same strings.
#include <string>
#include <string_view>

namespace ivschat {

/// Appends `text` as a JSON string literal: `"` and `\` escaped, \b \f \n \r \t as such, other
/// characters below U+0020 as \u00xx (lower-case hex), everything else as is. `text` must be valid
/// UTF-8 (checked by the caller).
void appendJsonString(std::string& out, std::string_view text);

}  // namespace ivschat
