#pragma once
// Reading JSON text without losing what a string held, as JSON.parse reads it: nlohmann/json
// refuses text with lone UTF-16 surrogate escapes ("\ud800") and raw ill-formed UTF-8.
// Refusing the whole document would lose which field was at fault, so such literals are decoded
// here by hand, with their bad parts kept as ill-formed UTF-8 bytes (lone surrogates as their
// three generalized-UTF-8 bytes, as js/value-table.js writes them), and handed to the scan in
// their place; validators then report INVALID_UTF8 at the right field. The wasm modules get
// requests as value tables (value_table.hpp); this is how C++ callers, the tests and the fuzz
// targets give a request as JSON text. The tuned lexer does this as it reads; on the plain one,
// nearly every text has no such literal, and then this is one cheap check in front of scanJson().
#include <string>
#include <string_view>
#include <vector>

#include "core/json_scan.hpp"

namespace ivschat {

/// The plain lexer's way (see json_tuning_mode.hpp): one pass over the text numbers every
/// string literal (keys included); literals holding lone surrogate escapes or ill-formed raw
/// bytes are decoded by hand into the workspace's arena (`replacements`), and written to
/// `cleaned` with an escaped U+FFFD in place of each bad part, so that nlohmann accepts the
/// document; scanJson then substitutes them. kNone leaves `cleaned` unused.
enum class Rewrite { kNone, kDone, kArenaFull };
Rewrite rewriteInvalidLiterals(std::string_view text, JsonWorkspace& workspace, std::string& cleaned,
                               std::vector<LiteralReplacement>& replacements);

class LosslessJson {
 public:
  /// Scans `text` into `workspace`, with the shim's markers read when `markers` (json_scan.hpp).
  /// The document's views point into `text`, the workspace and this object, which is therefore
  /// neither copied nor moved: all three must outlive it.
  LosslessJson(std::string_view text, JsonWorkspace& workspace, bool markers = false);
  LosslessJson(const LosslessJson&) = delete;
  LosslessJson& operator=(const LosslessJson&) = delete;

  JsonDocument document;

 private:
  std::string cleaned_;  // the text with each bad literal's bad parts replaced by \uFFFD
  std::vector<LiteralReplacement> replacements_;
};

}  // namespace ivschat
