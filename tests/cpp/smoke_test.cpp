#include <gtest/gtest.h>
#include "core/utf8.hpp"
TEST(Smoke, Utf8) { EXPECT_TRUE(ivschat::isValidUtf8("abc")); }
