// SPDX-License-Identifier: GPL-2.0-or-later
// Precompiled for the integration binary (cpp_pch in meson.build): what every scenario file includes.
// Compiled alone (no #pragma once: gcc warns of it in a main file) and put before every source by -include.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
