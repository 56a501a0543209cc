#pragma once
// The I/O area of a WebAssembly module: where JavaScript writes a call's inputs and reads its
// result (the calls themselves are declared in boundary/calls.js). Plain C++, no Emscripten
// header: the generated binding (boundary_<module>.cpp) is the only file that includes one.
//
// MEMORY. One area of kIoBytes, a static array (it never moves, and the memory is a fixed
// 16 MiB that never grows, so the heap views stay valid). JavaScript writes a call's texts at its
// start with TextEncoder.encodeInto, back to back, and passes their byte lengths with the call's
// numbers; together the texts may fill at most kInputBytes (inputCapacity()).
//
// RESULT, at an 8-byte aligned offset R behind the inputs (int32 and float64, little-endian):
//   int32 R+0   status: 0 ok, 1 invalid (field errors), 2 failed
//   int32 R+4   N, the count of numbers
//   int32 R+8   S, the count of strings
//   int32 R+12  the text area's offset in the I/O area
//   int32 R+16  the text area's length in bytes (UTF-8)
//   int32 R+20  1 when the text area is all ASCII, else 0
//   f64   R+24  N numbers: the outcome's declared numbers, then (first string, record count)
//               for each of its declared lists
//   then  S strings as int32 pairs (start, length) in UTF-16 code units: the outcome's declared
//         strings at their fixed places (unwritten ones empty), then the lists' records. A start
//         >= 0 is an index into the call's sliceable input, as the JavaScript string it was (only
//         passed when it is all ASCII, so that bytes and code units agree); a start < 0 is ~index
//         into the text area decoded as one string.
// A call returns R, or a negative status when it could not run at all (see Wire below).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "core/json_scan.hpp"

namespace ivschat::bindings {

inline constexpr std::size_t kIoBytes = 1 << 20;
inline constexpr std::size_t kInputBytes = 256 * 1024;
inline constexpr std::size_t kMaxNumbers = 16;
inline constexpr std::size_t kMaxStrings = 4096;

/// What a call returns when it could not run.
enum Wire : int {
  kInputTooLong = -1,     // the inputs are longer than inputCapacity()
  kResultTooLarge = -2,   // the result does not fit the I/O area
  kBadSelector = -3,      // an enum input outside its declared values
  kContractBroken = -4,   // the body wrote against its declaration (a bug: see Output)
};

enum class Status : int { Ok = 0, Invalid = 1, Failed = 2 };

/// A `request` or `json` input as the shim writes it (js/value-table.js): the table of its
/// values, which core/value_table.hpp reads.
struct ValueTable {
  std::string_view bytes;
};

int ioAddress() noexcept;
int inputCapacity() noexcept;

/// Values near the top of a document, and decoded strings: sized for the largest input.
JsonWorkspace& workspace();

/// The call's inputs, in the order JavaScript wrote them.
class InputReader {
 public:
  /// Whether lengths as JavaScript passed them fit the area (checked before anything is read).
  static bool fits(std::initializer_list<int> lengths) noexcept;
  std::string_view next(int length) noexcept;
  std::size_t end() const noexcept { return at_; }

 private:
  std::size_t at_ = 0;
};

/// Writes one result (the layout above) behind the inputs. The generated writers of
/// boundary_calls.hpp are its only users: they begin one outcome and write its declared slots by
/// name. Writing against the declaration (two outcomes, a slot out of range, a list resumed
/// after another began) is a bug, reported as kContractBroken rather than a wrong result.
class Output {
 public:
  /// `sliceable`: the call's sliceable input when it is all ASCII, else empty.
  Output(std::size_t inputEnd, std::string_view sliceable = {}) noexcept;

  void begin(Status status, int numbers, int strings, int lists) noexcept;
  void number(int slot, double value) noexcept;
  void string(int slot, std::string_view text);
  /// Appends one record of `list`; the records of a list are contiguous.
  void record(int list, std::initializer_list<std::string_view> fields);
  int finish() noexcept;

 private:
  /// Writes `text` as a pair at string index `index`; false when the area is full.
  bool put(std::size_t index, std::string_view text);

  std::size_t at_;
  std::string_view sliceable_;
  std::size_t textStart_;
  std::size_t text_;
  std::size_t textUnits_ = 0;
  Status status_ = Status::Ok;
  bool begun_ = false;
  int declaredNumbers_ = 0;
  int declaredStrings_ = 0;
  int lists_ = 0;
  int currentList_ = -1;
  std::size_t strings_ = 0;
  bool ascii_ = true;
  bool overflow_ = false;
  bool broken_ = false;
};

}  // namespace ivschat::bindings
