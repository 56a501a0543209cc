#pragma once
// A request as the JavaScript shim hands it to the core: not JSON text, but the value itself,
// written by js/value-table.js as a table of its values, which this reads into the same
// JsonDocument that scanJson makes of text, so that every reader of the core serves both. No
// parser runs on it: the shim walked the value as JSON.stringify would (toJSON, boxed
// primitives, no undefined, functions or symbols) and recorded what JSON cannot carry (NaN,
// Infinity, a BigInt, a value over its caps) as kinds of their own, which no field accepts.
//
// LAYOUT, the whole table being `bytes` (words are uint32, little-endian):
//   strings   for each record in order, its key's bytes, then its text's bytes, in generalized
//             UTF-8 (a lone surrogate of a JavaScript string keeps its three bytes, so that a
//             field holding one is reported as INVALID_UTF8 at that field)
//   padding   zeros, to a multiple of 4 bytes from the table's start
//   records   4 words each, the values in document order (a container, then its children):
//               word 0  the JsonKind, with the flags below
//               word 1  the key's length in bytes (members of objects; 0 for the root and items)
//               word 2  the text's length in bytes (String: the value; Number: as JavaScript
//                       writes it, e.g. 60, -1.5, 1e+21; NonFinite: NaN, Infinity, -Infinity)
//               word 3  Array, Object: its items or members; Oversized*: the size over the cap
//   count     one word: the number of records
// A container at depth kMaxRecordedDepth (json_scan.hpp), and no other, carries
// kTableChildrenNotRecorded: its children are counted in word 3 but not written, as scanJson
// counts what is below its depth.
// A table that breaks this layout (only a bug of the shim can write one) reads as a document
// that is not ok; one with more values than the workspace holds, as a truncated one.
#include <cstdint>
#include <string_view>

#include "core/json_scan.hpp"

namespace ivschat {

/// Word 0 flag: the Boolean is true.
inline constexpr std::uint32_t kTableTrue = 0x100;
/// Word 0 flag: the container's children are counted, not recorded.
inline constexpr std::uint32_t kTableChildrenNotRecorded = 0x200;

/// Reads a table the shim wrote (above) into `workspace`. The document's strings are views into
/// `bytes`, which must outlive it.
JsonDocument readValueTable(std::string_view bytes, JsonWorkspace& workspace);

}  // namespace ivschat
