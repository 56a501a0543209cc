// The value table (src/core/value_table.hpp): what js/value-table.js writes, read into the
// document scanJson makes of the same value's JSON. Every request of the fixtures also takes
// this path (core_results.hpp's ShippedValue); these are the reader's own cases.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/json_scan.hpp"
#include "core/value_table.hpp"
#include "core_results.hpp"
#include "support/value_table_writer.hpp"

namespace ivschat {
namespace {

struct Record {
  std::uint32_t flags;
  std::string key;
  std::string text;
  std::uint32_t size = 0;
};

// A table by hand, as the layout says (lengths taken from the strings).
std::string tableOf(const std::vector<Record>& records, std::uint32_t count) {
  std::string out;
  for (const Record& r : records) out += r.key + r.text;
  while (out.size() % 4 != 0) out.push_back('\0');
  const auto word = [&out](std::uint32_t w) {
    char bytes[4];
    std::memcpy(bytes, &w, 4);
    out.append(bytes, 4);
  };
  for (const Record& r : records) {
    word(r.flags);
    word(static_cast<std::uint32_t>(r.key.size()));
    word(static_cast<std::uint32_t>(r.text.size()));
    word(r.size);
  }
  word(count);
  return out;
}
std::string tableOf(const std::vector<Record>& records) {
  return tableOf(records, static_cast<std::uint32_t>(records.size()));
}

constexpr auto kObject = static_cast<std::uint32_t>(JsonKind::Object);
constexpr auto kArray = static_cast<std::uint32_t>(JsonKind::Array);
constexpr auto kString = static_cast<std::uint32_t>(JsonKind::String);
constexpr auto kNumber = static_cast<std::uint32_t>(JsonKind::Number);
constexpr auto kBoolean = static_cast<std::uint32_t>(JsonKind::Boolean);
constexpr auto kNull = static_cast<std::uint32_t>(JsonKind::Null);

TEST(ValueTable, ReadsWhatScanJsonReadsOfTheSameValue) {
  const std::string text =
      R"({"a":"x","n":[1,-2,1.5,1e+21,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809],)"
      R"("b":true,"f":false,"z":null,"o":{"k":{"deep":{"deeper":[1]}}},"":""})";
  JsonWorkspace scanned(64, 1024);
  const JsonDocument expected = scanJson(text, scanned);
  ASSERT_TRUE(expected.ok) << expected.errorOffset << (expected.truncated ? " truncated" : "");
  const std::string table = testing::valueTableOf(expected);
  JsonWorkspace read(64, 1);
  const JsonDocument document = readValueTable(table, read);
  ASSERT_TRUE(document.ok);
  const std::function<void(const JsonValue&, const JsonValue&)> same = [&](const JsonValue& a, const JsonValue& b) {
    EXPECT_EQ(a.kind, b.kind) << a.key;
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.text, b.text) << a.key;
    EXPECT_EQ(a.size, b.size) << a.key;
    EXPECT_EQ(a.boolean, b.boolean) << a.key;
    EXPECT_EQ(a.integer, b.integer) << a.text;
    EXPECT_EQ(a.negative, b.negative) << a.text;
    EXPECT_EQ(a.magnitude, b.magnitude) << a.text;
    auto x = expected.children(a).begin();
    auto y = document.children(b).begin();
    for (; x != expected.children(a).end() && y != document.children(b).end(); ++x, ++y) same(*x, *y);
    EXPECT_FALSE(x != expected.children(a).end()) << "fewer children in the table: " << a.key;
    EXPECT_FALSE(y != document.children(b).end()) << "more children in the table: " << a.key;
  };
  same(expected.root(), document.root());
}

TEST(ValueTable, KindsJsonCannotCarry) {
  const std::string table = tableOf({{kObject, "", "", 5},
                                     {static_cast<std::uint32_t>(JsonKind::NonFinite), "d", "-Infinity"},
                                     {static_cast<std::uint32_t>(JsonKind::BigInt), "b", ""},
                                     {static_cast<std::uint32_t>(JsonKind::OversizedString), "s", "", 5000},
                                     {static_cast<std::uint32_t>(JsonKind::OversizedArray), "a", "", 65},
                                     {static_cast<std::uint32_t>(JsonKind::OversizedObject), "o", "", 3000}});
  JsonWorkspace read(16, 1);
  const JsonDocument document = readValueTable(table, read);
  ASSERT_TRUE(document.ok);
  EXPECT_EQ(document.member(document.root(), "d")->text, "-Infinity");
  EXPECT_EQ(document.member(document.root(), "b")->kind, JsonKind::BigInt);
  EXPECT_EQ(document.member(document.root(), "s")->size, 5000u);
  EXPECT_EQ(document.member(document.root(), "a")->size, 65u);
  EXPECT_EQ(document.member(document.root(), "o")->kind, JsonKind::OversizedObject);
}

TEST(ValueTable, ContainersBelowTheRecordedDepthAreCountedNotRecorded) {
  const std::string table = tableOf({{kObject, "", "", 1},
                                     {kObject, "a", "", 1},
                                     {kObject, "b", "", 1},
                                     {kArray | kTableChildrenNotRecorded, "c", "", 7}});
  JsonWorkspace read(16, 1);
  const JsonDocument document = readValueTable(table, read);
  ASSERT_TRUE(document.ok);
  const JsonValue* c = document.member(*document.member(*document.member(document.root(), "a"), "b"), "c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->size, 7u);
  EXPECT_EQ(c->firstChild, 0u);
  // Recording a fourth level is not a table the shim writes.
  const std::string deeper = tableOf({{kObject, "", "", 1},
                                      {kObject, "a", "", 1},
                                      {kObject, "b", "", 1},
                                      {kArray, "c", "", 1},
                                      {kNull, "", ""}});
  EXPECT_FALSE(readValueTable(deeper, read).ok);
  // The flag belongs to that depth only: above it, or missing at it, is not a table the shim writes.
  const std::string flaggedAbove = tableOf({{kObject, "", "", 1}, {kArray | kTableChildrenNotRecorded, "a", "", 0}});
  EXPECT_FALSE(readValueTable(flaggedAbove, read).ok);
  const std::string unflaggedAt = tableOf({{kObject, "", "", 1}, {kObject, "a", "", 1}, {kObject, "b", "", 1}, {kArray, "c", "", 0}});
  EXPECT_FALSE(readValueTable(unflaggedAt, read).ok);
}

TEST(ValueTable, AnyOtherTableIsNotOkAndLeavesTheReaderUsable) {
  JsonWorkspace read(8, 1);
  const std::vector<std::string> broken = {
      "",
      "abc",
      tableOf({}, 0),
      tableOf({{kObject, "", "", 1}}),                                   // a member missing
      tableOf({{kObject, "", "", 0}, {kNull, "", ""}}),                  // a value after the root
      tableOf({{kArray, "", "", 1}, {kNull, "k", ""}}),                  // an item with a key
      tableOf({{kNull, "root", ""}}),                                    // a root with a key
      tableOf({{kNull, "", "text"}}),                                    // text where none belongs
      tableOf({{kNumber, "", "01"}}),                                    // not a JSON number
      tableOf({{kNumber, "", "NaN"}}),
      tableOf({{kNumber, "", "-0"}}),                                    // JavaScript writes 0
      tableOf({{kNumber, "", ""}}),
      tableOf({{kString | kTableTrue, "", "x"}}),                        // a flag on the wrong kind
      tableOf({{kString | kTableChildrenNotRecorded, "", "x"}}),
      tableOf({{kBoolean | 0x400, "", ""}}),                             // an unknown flag
      tableOf({{11, "", ""}}),                                           // an unknown kind
      tableOf({{kString, "", "x", 3}}),                                  // a size on a string
      tableOf({{kString, "", "x"}}, 2),                                  // more records than bytes
      tableOf({{kString, "", "x"}}) + "pad",                             // not a multiple of 4
      std::string("xabcd\0\0\0", 8) + tableOf({{kString, "", "x"}}).substr(4),  // bytes no record holds
      std::string("x\x01\0\0", 4) + tableOf({{kString, "", "x"}}).substr(4),  // padding that is not zeros
  };
  for (const std::string& table : broken) {
    const JsonDocument document = readValueTable(table, read);
    EXPECT_FALSE(document.ok) << ::testing::PrintToString(table);
    EXPECT_FALSE(document.truncated);
  }
  // A string longer than the strings there are.
  std::string lying = tableOf({{kString, "", "abcd"}});
  const std::uint32_t longer = 5000;
  std::memcpy(&lying[4 + 8], &longer, 4);
  EXPECT_FALSE(readValueTable(lying, read).ok);
  // More values than the workspace holds: truncated, as a scan would be.
  std::vector<Record> many = {{kArray, "", "", 9}};
  for (int i = 0; i < 9; ++i) many.push_back({kNull, "", ""});
  const JsonDocument truncated = readValueTable(tableOf(many), read);
  EXPECT_FALSE(truncated.ok);
  EXPECT_TRUE(truncated.truncated);
  // And the next table reads.
  const std::string good = tableOf({{kString, "", "ok"}});
  const JsonDocument fine = readValueTable(good, read);
  ASSERT_TRUE(fine.ok);
  EXPECT_EQ(fine.root().text, "ok");
}

TEST(ValueTable, LoneSurrogatesKeepTheirBytesForTheValidators) {
  // js/value-table.js writes a lone surrogate as its three bytes: invalid UTF-8 at its field.
  const std::string arn = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456";
  const std::string table = tableOf({{kObject, "", "", 2}, {kString, "roomIdentifier", arn}, {kString, "userId", "a\xED\xA0\x80"}});
  JsonWorkspace read(8, 1);
  const JsonDocument document = readValueTable(table, read);
  ASSERT_TRUE(document.ok);
  const CreateChatTokenValidation validation = validateCreateChatTokenRequest(document);
  ASSERT_EQ(validation.errors.list().size(), 1u);
  EXPECT_EQ(validation.errors.list()[0].field, "userId");
  EXPECT_STREQ(validation.errors.list()[0].code, "INVALID_UTF8");
}

}  // namespace
}  // namespace ivschat
