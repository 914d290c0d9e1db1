// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <string>

namespace dscope::model {

class InputBytes;

/// Walks the members of a .zip, .tar.gz or .gz with libarchive, streaming each one; nothing is extracted to disk.
class ArchiveReader
{
public:
    explicit ArchiveReader(std::string path);

    /// Calls visit for every regular file member (return false to stop). Returns false with error when the
    /// archive cannot be opened or a member header is corrupt.
    bool forEachMember(const std::function<bool(InputBytes&)>& visit, std::string& error);

private:
    std::string m_path;
};

} // namespace dscope::model
