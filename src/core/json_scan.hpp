#pragma once
// Reading JSON: one pass of nlohmann/json's SAX parser over the text, into a fixed table of the
// values near the top of the document. Strings are views into the text itself (or, when they
// hold escapes, into the workspace's arena); numbers keep their text. There is no document tree
// of nlohmann's, no std::map, and nothing is allocated per value: every reader of the core
// (requests, server frames, AWS answers) looks its members up in this table. The wasm modules
// read the same table from value_table.hpp where JavaScript has a value to hand over: every
// request, and the answers of IVS and of token backends (as JSON.parse reads them), so that the
// token handler's module carries no JSON parser; server frames (the pages' module, where this
// lexer is faster than JSON.parse), chat logs and review events are scanned here.
//
// What is recorded: the root and the values of the first kMaxRecordedDepth levels below it
// (every member the service's documents have). Deeper values are parsed (the text must still be
// JSON) but only counted. A document with more recorded values than the workspace holds is
// `truncated`: readers refuse it rather than read half of it.
//
// Markers (ScanOptions::markers): how JSON text gives the values JSON cannot carry, which a value
// table records as kinds of their own (what the C++ tests and the fuzz targets use to reach
// them): one-member objects {"$nonFinite":"NaN"|"Infinity"|"-Infinity"}, {"$bigint":"123"},
// {"$oversizedString":n}, {"$oversizedArray":n}, {"$oversizedObject":n}, with n the string's
// UTF-16 length, the array's items or the object's members (js/value-table.js's caps). Every
// marker stands for a value no field accepts; without the option, everything (a user's
// {"$bigint":"1"} attributes, a server frame) reads as the plain JSON it is.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ivschat {

enum class JsonKind : std::uint8_t {
  Null,
  Boolean,
  Number,
  String,
  Array,
  Object,
  NonFinite,        // text: "NaN", "Infinity" or "-Infinity"
  BigInt,           // text: the digits as sent
  OversizedString,  // size: UTF-16 code units
  OversizedArray,   // size: items
  OversizedObject,  // size: members
};

struct JsonValue {
  std::string_view key;   // member name; empty for array items and the root
  std::string_view text;  // String: the value; Number: the number as written; NonFinite, BigInt
  std::uint64_t size = 0;     // Array, Object: items / members (recorded or not); Oversized*: n
  std::uint32_t firstChild = 0;  // index of the first recorded child; 0 = none
  std::uint32_t next = 0;        // index of the next recorded sibling; 0 = none
  JsonKind kind = JsonKind::Null;
  bool boolean = false;      // Boolean
  bool integer = false;      // Number written without fraction or exponent (nlohmann's integers)
  bool negative = false;     // Number: the integer is negative
  std::uint64_t magnitude = 0;  // Number when `integer`: its absolute value
};

/// Storage for scans, reused from one scan to the next: the value table and an arena for
/// strings that hold escapes (their decoded bytes are not in the text). Sized once; a scan that
/// needs more fails (truncated or arena full) instead of growing.
class JsonWorkspace {
 public:
  JsonWorkspace(std::size_t maxValues, std::size_t arenaBytes);

  /// Copies bytes into the arena; nullopt when it is full.
  std::optional<std::string_view> store(std::string_view bytes);
  void resetArena() noexcept { arenaUsed_ = 0; }

  std::size_t maxValues() const noexcept { return maxValues_; }
  JsonValue* values() noexcept { return values_.get(); }

 private:
  std::unique_ptr<JsonValue[]> values_;
  std::size_t maxValues_;
  std::unique_ptr<char[]> arena_;
  std::size_t arenaBytes_;
  std::size_t arenaUsed_ = 0;
};

/// Depths below the root whose values are recorded: 1 = root members, 2 = their members or
/// items, 3 = one level more (Sender.Attributes values, and the inside of markers at depth 2).
inline constexpr int kMaxRecordedDepth = 3;
/// The depth scanJsonDeep records: one level more, for the chat log records, whose payload (a
/// server frame) sits one level below the root.
inline constexpr int kMaxRecordableDepth = kMaxRecordedDepth + 1;

/// A string literal whose decoded bytes replace what the parser reads (see json_lossless.hpp):
/// `index` counts every string literal of the text, keys included, in order.
struct LiteralReplacement {
  std::size_t index = 0;
  std::string_view bytes;
};

/// The values of one scanned document. Views point into the scanned text and the workspace's
/// arena: both must outlive it, and the next scan with the same workspace overwrites it.
class JsonDocument {
 public:
  bool ok = false;
  /// Set when !ok: the byte offset of the first error, as nlohmann counts it.
  std::size_t errorOffset = 0;
  /// The document has more recorded values than the workspace holds (ok is false).
  bool truncated = false;

  const JsonValue& root() const noexcept { return values_[0]; }
  const JsonValue& at(std::uint32_t index) const noexcept { return values_[index]; }
  /// The last member called `name` (duplicates: the last one wins, as with JSON.parse).
  const JsonValue* member(const JsonValue& object, std::string_view name) const noexcept;

  /// Iterates the recorded children of a container: `for (auto& item : doc.children(v))`.
  class Children {
   public:
    class Iterator {
     public:
      Iterator(const JsonValue* values, std::uint32_t index) : values_(values), index_(index) {}
      const JsonValue& operator*() const noexcept { return values_[index_]; }
      Iterator& operator++() noexcept {
        index_ = values_[index_].next;
        return *this;
      }
      bool operator!=(const Iterator& other) const noexcept { return index_ != other.index_; }

     private:
      const JsonValue* values_;
      std::uint32_t index_;
    };
    Iterator begin() const noexcept { return {values_, first_}; }
    Iterator end() const noexcept { return {values_, 0}; }
    Children(const JsonValue* values, std::uint32_t first) : values_(values), first_(first) {}

   private:
    const JsonValue* values_;
    std::uint32_t first_;
  };
  Children children(const JsonValue& container) const noexcept {
    return {values_, container.firstChild};
  }

 private:
  friend struct JsonDocumentAccess;
  const JsonValue* values_ = nullptr;
};

/// How the readers of this core (scanJson, readValueTable) point a document at its table.
struct JsonDocumentAccess {
  static void bind(JsonDocument& document, const JsonValue* values) noexcept { document.values_ = values; }
};

/// How both readers link a table: the value at `index` becomes the last recorded child of the
/// container at `container`, whose last child so far is `lastChild` (0: none), updated here.
inline void appendChild(JsonValue* values, std::uint32_t container, std::uint32_t& lastChild,
                        std::uint32_t index) noexcept {
  if (lastChild != 0) {
    values[lastChild].next = index;
  } else {
    values[container].firstChild = index;
  }
  lastChild = index;
}

struct ScanOptions {
  /// String literals substituted by index (json_lossless.hpp, on nlohmann's plain lexer).
  const std::vector<LiteralReplacement>* replacements = nullptr;
  /// Keep ill-formed text in strings (only with the tuned lexer: see jsonLexerKeepsInvalidText).
  bool keepInvalidText = false;
  /// Read the shim's markers (above) as values of their own kinds.
  bool markers = false;
};

/// Parses `text` as one JSON document (RFC 8259 as nlohmann/json reads it: UTF-8, no comments,
/// nothing after the value) into `workspace`. Decoded strings go to the workspace's arena, which
/// the caller resets between documents (resetArena).
JsonDocument scanJson(std::string_view text, JsonWorkspace& workspace, const ScanOptions& options = {});

/// scanJson recording kMaxRecordableDepth levels (a separate function, so that the modules that
/// never scan that deep do not carry it).
JsonDocument scanJsonDeep(std::string_view text, JsonWorkspace& workspace, const ScanOptions& options = {});

/// Whether this build's lexer honours ScanOptions::keepInvalidText: IVSCHAT_JSON_TUNED of
/// src/core/json_tuning_mode.hpp.
bool jsonLexerKeepsInvalidText() noexcept;

/// A Number as the JavaScript value it stands for, decided exactly from its text (no
/// floating-point conversion): "60", "60.0", "6e1" and "600e-1" are the whole number 60; "60.5"
/// is a fraction; "1e300" and "9007199254740993" are whole numbers past 2^53 (the largest that
/// every JavaScript number holds exactly), so past every limit the core checks.
struct ExactNumber {
  enum Shape : std::uint8_t { Fraction, Whole, LargeWhole } shape = Fraction;
  std::int64_t value = 0;  // when Whole
};
ExactNumber exactNumber(const JsonValue& number) noexcept;

/// A Number as written (integers in decimal), for messages.
std::string numberText(const JsonValue& number);

}  // namespace ivschat
