// The message review contract: IVS's event read, an app's decision checked and answered.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/json_lossless.hpp"
#include "core/message_review.hpp"
#include "core_results.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

ReviewAnswer answerFor(const json& decision) {
  const std::string text = decision.dump();
  const testing::ShippedValue input(text, false);
  return buildReviewAnswer(input.document);
}

testing::Codes codesOf(const ReviewAnswer& answer) {
  testing::Codes codes;
  for (const FieldError& error : answer.errors.list()) codes.emplace_back(error.field, error.code);
  return codes;
}

TEST(MessageReview, ReadsTheEventIvsSends) {
  const std::string text =
      R"({"Content":"hi","MessageId":"AbCdEf123456","RoomArn":"arn:aws:ivschat:us-east-1:1:room/a","Attributes":{"a":"b"},)"
      R"("Sender":{"UserId":"u","Ip":"127.0.0.1","Attributes":{"name":"Ann"}},"Extra":1})";
  // As the review module reads it: JSON.parse's value, as a table (testing::ShippedValue).
  const testing::ShippedValue event(text, false);
  const ReviewInput input = readReviewInput(event.document);
  ASSERT_TRUE(input.ok) << input.error;
  EXPECT_EQ(input.content, "hi");
  EXPECT_EQ(input.messageId, "AbCdEf123456");
  EXPECT_EQ(input.senderUserId, "u");
  EXPECT_EQ(input.senderIp, "127.0.0.1");
  ASSERT_NE(input.attributes, nullptr);
  ASSERT_NE(input.senderAttributes, nullptr);
  for (const char* bad : {R"({})", R"({"Content":5})", R"({"Content":"c","Attributes":{"a":1}})", R"({"Content":"c","Sender":"u"})",
                          R"([])", R"(nope)", R"({"Content":"a\ud800"})", R"({"Content":"c","Attributes":{"\udc00":"v"}})",
                          R"({"Content":"c","Sender":{"UserId":"\ud83d"}})"}) {
    const testing::ShippedValue refusedEvent(bad, false);
    const ReviewInput refused = readReviewInput(refusedEvent.document);
    EXPECT_FALSE(refused.ok) << bad;
    EXPECT_NE(std::string(refused.error), "");
  }
  // JSON.parse keeps a lone surrogate; the event is refused as not text, as IVS sends none.
  const testing::ShippedValue lone(R"({"Content":"a\ud800"})", false);
  EXPECT_NE(std::string(readReviewInput(lone.document).error).find("not valid UTF-8"), std::string::npos);
}

TEST(MessageReview, AnswersAreIvsShapedWithSortedAttributes) {
  const ReviewAnswer allow = answerFor({{"allow", true}, {"content", "hello"}, {"attributes", {{"z", "1"}, {"a", "2"}}}});
  ASSERT_TRUE(allow.ok());
  EXPECT_EQ(allow.body, R"({"Attributes":{"a":"2","z":"1"},"Content":"hello","ReviewResult":"ALLOW"})");
  const ReviewAnswer deny = answerFor({{"allow", false}, {"content", "bad"}, {"reason", "rude"}, {"attributes", {{"a", "1"}}}});
  ASSERT_TRUE(deny.ok());
  EXPECT_EQ(deny.body, R"({"Attributes":{"a":"1","Reason":"rude"},"Content":"bad","ReviewResult":"DENY"})");
  EXPECT_EQ(answerFor({{"allow", false}, {"content", "c"}, {"reason", "r"}}).body, R"({"Attributes":{"Reason":"r"},"Content":"c","ReviewResult":"DENY"})");
  EXPECT_EQ(answerFor({{"allow", true}, {"content", "c"}, {"reason", "kept in the log only"}}).body, R"({"Attributes":{},"Content":"c","ReviewResult":"ALLOW"})");
}

TEST(MessageReview, InvalidDecisionsAreNeverAnswered) {
  EXPECT_EQ(codesOf(answerFor({{"content", "c"}})), (testing::Codes{{"allow", "REQUIRED"}}));
  EXPECT_EQ(codesOf(answerFor({{"allow", "yes"}, {"content", "c"}})), (testing::Codes{{"allow", "TYPE"}}));
  EXPECT_EQ(codesOf(answerFor({{"allow", true}, {"content", ""}})), (testing::Codes{{"content", "TOO_SHORT"}}));
  EXPECT_EQ(codesOf(answerFor({{"allow", true}, {"content", std::string(501, 'x')}})), (testing::Codes{{"content", "TOO_LONG"}}));
  EXPECT_EQ(codesOf(answerFor({{"allow", true}, {"content", "c"}, {"attributes", {{"k", std::string(1100, 'v')}}}})),
            (testing::Codes{{"attributes", "TOO_LARGE"}}));
  EXPECT_EQ(codesOf(answerFor({{"allow", false}, {"content", "c"}, {"reason", std::string(200, 'r')}, {"attributes", {{"k", std::string(900, 'v')}}}})),
            (testing::Codes{{"reason", "TOO_LARGE"}}));
  EXPECT_EQ(codesOf(answerFor({{"allow", false}, {"content", "c"}, {"reason", "r"}, {"attributes", {{"Reason", "x"}}}})),
            (testing::Codes{{"reason", "DUPLICATE"}}));
  // An allowed message drops the reason, so neither can collide with the app's own attributes.
  EXPECT_EQ(codesOf(answerFor({{"allow", true}, {"content", "c"}, {"reason", "r"}, {"attributes", {{"Reason", "x"}}}})), testing::Codes{});
  EXPECT_EQ(codesOf(answerFor({{"allow", true}, {"content", "c"}, {"reason", std::string(200, 'r')}, {"attributes", {{"k", std::string(900, 'v')}}}})),
            testing::Codes{});
  EXPECT_EQ(codesOf(answerFor({{"allow", true}, {"content", "c"}, {"ReviewResult", "ALLOW"}})), (testing::Codes{{"ReviewResult", "UNKNOWN_FIELD"}}));
  EXPECT_EQ(codesOf(answerFor(json::array())), (testing::Codes{{"request", "TYPE"}}));
}

}  // namespace
}  // namespace ivschat
