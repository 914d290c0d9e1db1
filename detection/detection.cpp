// SPDX-License-Identifier: MIT
namespace dscope::detection {}
