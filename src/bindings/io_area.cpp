#include "bindings/io_area.hpp"

#include <cstring>
#include <string>

#include "core/utf8.hpp"

namespace ivschat::bindings {
namespace {

constexpr std::size_t kHeaderBytes = 24;

alignas(8) unsigned char io[kIoBytes];
JsonWorkspace sharedWorkspace(8192, kInputBytes);

struct Utf16Length {
  std::size_t units = 0;
  bool ascii = true;
};

// The UTF-16 length of valid UTF-8 text, and whether it is all ASCII (then always valid).
Utf16Length utf16Length(std::string_view utf8) noexcept {
  Utf16Length length;
  unsigned char any = 0;
  for (const char byte : utf8) {
    const auto c = static_cast<unsigned char>(byte);
    any |= c;
    length.units += static_cast<std::size_t>((c & 0xC0) != 0x80) + static_cast<std::size_t>(c >= 0xF0);
  }
  length.ascii = any < 0x80;
  return length;
}

}  // namespace

int ioAddress() noexcept { return static_cast<int>(reinterpret_cast<std::uintptr_t>(io)); }
int inputCapacity() noexcept { return static_cast<int>(kInputBytes); }

JsonWorkspace& workspace() { return sharedWorkspace; }

bool InputReader::fits(std::initializer_list<int> lengths) noexcept {
  std::size_t total = 0;
  for (const int length : lengths) {
    if (length < 0) return false;
    total += static_cast<std::size_t>(length);
  }
  return total <= kInputBytes;
}

std::string_view InputReader::next(int length) noexcept {
  const std::string_view text(reinterpret_cast<const char*>(io) + at_, static_cast<std::size_t>(length));
  at_ += static_cast<std::size_t>(length);
  return text;
}

Output::Output(std::size_t inputEnd, std::string_view sliceable) noexcept
    : at_((inputEnd + 7) & ~std::size_t{7}), sliceable_(sliceable) {
  textStart_ = at_ + kHeaderBytes + kMaxNumbers * 8 + kMaxStrings * 8;
  text_ = textStart_;
}

void Output::begin(Status status, int numbers, int strings, int lists) noexcept {
  const auto slots = static_cast<std::size_t>(numbers + 2 * lists);
  if (begun_ || slots > kMaxNumbers || static_cast<std::size_t>(strings) > kMaxStrings) {
    broken_ = true;
    return;
  }
  begun_ = true;
  status_ = status;
  declaredNumbers_ = numbers;
  declaredStrings_ = strings;
  lists_ = lists;
  std::memset(io + at_ + kHeaderBytes, 0, slots * 8);
  std::memset(io + at_ + kHeaderBytes + kMaxNumbers * 8, 0, static_cast<std::size_t>(strings) * 8);
  strings_ = static_cast<std::size_t>(strings);
}

void Output::number(int slot, double value) noexcept {
  if (!begun_ || slot < 0 || slot >= declaredNumbers_) {
    broken_ = true;
    return;
  }
  std::memcpy(io + at_ + kHeaderBytes + static_cast<std::size_t>(slot) * 8, &value, 8);
}

void Output::string(int slot, std::string_view text) {
  if (!begun_ || slot < 0 || slot >= declaredStrings_) {
    broken_ = true;
    return;
  }
  put(static_cast<std::size_t>(slot), text);
}

void Output::record(int list, std::initializer_list<std::string_view> fields) {
  if (!begun_ || list < 0 || list >= lists_ || list < currentList_) {
    broken_ = true;
    return;
  }
  double* const counts = reinterpret_cast<double*>(io + at_ + kHeaderBytes) + declaredNumbers_ + 2 * list;
  if (list != currentList_) {
    currentList_ = list;
    counts[0] = static_cast<double>(strings_);
  }
  for (const std::string_view field : fields) {
    if (strings_ >= kMaxStrings) {
      overflow_ = true;
      return;
    }
    if (!put(strings_, field)) return;
    ++strings_;
  }
  counts[1] += 1;
}

bool Output::put(std::size_t index, std::string_view text) {
  std::int32_t pair[2];
  const char* base = sliceable_.data();
  if (base && text.data() >= base && text.data() + text.size() <= base + sliceable_.size()) {
    pair[0] = static_cast<std::int32_t>(text.data() - base);
    pair[1] = static_cast<std::int32_t>(text.size());
  } else {
    // Copied into the text area as valid UTF-8, so that its UTF-16 length is what TextDecoder
    // will make of it (the core only ever has valid text here; this is a guard).
    Utf16Length length = utf16Length(text);
    std::string sanitized;
    if (!length.ascii && !isValidUtf8(text)) {
      text = sanitized = sanitizeUtf8(text);
      length = utf16Length(text);
    }
    if (text.size() > kIoBytes - text_) {
      overflow_ = true;
      return false;
    }
    ascii_ = ascii_ && length.ascii;
    std::memcpy(io + text_, text.data(), text.size());
    pair[0] = ~static_cast<std::int32_t>(textUnits_);
    pair[1] = static_cast<std::int32_t>(length.units);
    text_ += text.size();
    textUnits_ += length.units;
  }
  std::memcpy(io + at_ + kHeaderBytes + kMaxNumbers * 8 + index * 8, pair, 8);
  return true;
}

int Output::finish() noexcept {
  if (broken_ || !begun_) return kContractBroken;
  if (overflow_) return kResultTooLarge;
  // Numbers and strings were written at fixed places; close the gap after the numbers.
  const auto numbers = static_cast<std::size_t>(declaredNumbers_ + 2 * lists_);
  std::memmove(io + at_ + kHeaderBytes + numbers * 8, io + at_ + kHeaderBytes + kMaxNumbers * 8, strings_ * 8);
  const std::int32_t header[6] = {
      static_cast<std::int32_t>(status_),
      static_cast<std::int32_t>(numbers),
      static_cast<std::int32_t>(strings_),
      static_cast<std::int32_t>(textStart_),
      static_cast<std::int32_t>(text_ - textStart_),
      ascii_ ? 1 : 0,
  };
  std::memcpy(io + at_, header, sizeof header);
  return static_cast<int>(at_);
}

}  // namespace ivschat::bindings
