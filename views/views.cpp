// SPDX-License-Identifier: MIT
namespace dscope::views {}
