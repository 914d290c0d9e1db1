// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace dscope::model {

class InputBytes;

/// Walks the members of a .zip, .tar.gz or .gz with libarchive, streaming each one; nothing is extracted to disk.
class ArchiveReader
{
public:
    explicit ArchiveReader(std::string path);
    /// An archive already in memory (a stream read whole); path names it in messages. bytes must outlive the reader.
    ArchiveReader(std::string path, std::string_view bytes);

    /// Calls visit for every regular file member (return false to stop). Returns false with error when the
    /// archive cannot be opened or a member header is corrupt.
    bool forEachMember(const std::function<bool(InputBytes&)>& visit, std::string& error);

private:
    std::string m_path;
    std::string_view m_bytes;
    bool m_inMemory = false;
};

} // namespace dscope::model
