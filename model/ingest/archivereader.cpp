// SPDX-License-Identifier: MIT
#include "archivereader.h"

#include "inputbytes.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace dscope::model {

ArchiveReader::ArchiveReader(std::string path)
    : m_path(std::move(path))
{
}

ArchiveReader::ArchiveReader(std::string path, std::string_view bytes)
    : m_path(std::move(path))
    , m_bytes(bytes)
    , m_inMemory(true)
{
}

bool ArchiveReader::forEachMember(const std::function<bool(InputBytes&)>& visit, std::string& error)
{
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), &archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_zip(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    // A plain .gz of one log has no container: "raw" presents it as a single member.
    archive_read_support_format_raw(a.get());
    const int opened = m_inMemory ? archive_read_open_memory(a.get(), m_bytes.data(), m_bytes.size())
                                  : archive_read_open_filename(a.get(), m_path.c_str(), 1 << 16);
    if (opened != ARCHIVE_OK) {
        error = archive_error_string(a.get()) ? archive_error_string(a.get()) : "cannot open archive";
        return false;
    }
    archive_entry* entry = nullptr;
    for (;;) {
        const int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF)
            return true;
        if (rc < ARCHIVE_WARN) {
            error = std::string("corrupt archive: ") + (archive_error_string(a.get()) ? archive_error_string(a.get()) : "");
            return false;
        }
        const auto type = archive_entry_filetype(entry);
        if (type != 0 && type != AE_IFREG)
            continue;
        const char* name = archive_entry_pathname(entry);
        std::string inner = name ? name : "data";
        // macOS zips carry resource forks next to the real files; they are not logs.
        if (inner.rfind("__MACOSX/", 0) == 0 || inner.find("/._") != std::string::npos || inner.rfind("._", 0) == 0)
            continue;
        const int64_t size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
        ArchiveMemberBytes member(a.get(), size, m_path + "!" + inner);
        if (!visit(member))
            return true;
    }
}

} // namespace dscope::model
